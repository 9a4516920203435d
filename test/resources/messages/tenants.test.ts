import { describe, expect, it } from 'vitest';
import {
  AUTH2, conversationOf, count, createList, createTemplate, delivered, expectRejected, N1, N2, send, sendOk, sms, SMS_INBOX, startTwo,
} from './support.js';

// Team 2 (test/db/fixtures.ts + support.startTwo): SMS inbox 20 (members 21, 22), email inboxes 25/26, survey 20.

describe('POST /v1/message/send: tenant isolation', () => {
  it("team 1 cannot send into team 2's conversation: chat_id → 404, for notes too", async () => {
    const { t, auth } = await startTwo();
    const two = await sendOk(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N1, text: 'team two' });
    const convId = conversationOf(t, two.id);
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: convId, text: 'intrude' }), 404, 'not_found', 'chat_id');
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: convId, private: true, text: 'peek' }), 404, 'not_found', 'chat_id');
    // Team 2 itself can.
    await sendOk(t, AUTH2, { inbox_id: 20, creator_id: 22, chat_id: convId, text: 'own thread' });
  });

  it("team 1 cannot use team 2's inbox (400 inbox_id) nor act as team 2's member (403 creator_id)", async () => {
    const { t, auth } = await startTwo();
    await expectRejected(t, () => send(t, auth, { inbox_id: 20, creator_id: 1, phone_number: N1, text: 'x' }), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, () => send(t, auth, { inbox_id: 20, creator_id: 21, phone_number: N1, text: 'x' }), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, () => send(t, auth, sms(N1, { creator_id: 21 })), 403, 'denied', 'creator_id');
    await expectRejected(t, () => send(t, AUTH2, sms(N1)), 400, 'bad_data', 'inbox_id');
  });

  it("team 1 cannot broadcast to team 2's list (400 list_id)", async () => {
    const { t, auth } = await startTwo();
    const list = await createList(t, AUTH2, { phones: [N1, N2] });
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, list_id: list, local_id: 'x', text: 'x' }), 400, 'bad_data', 'list_id');
  });

  it("team 1 cannot send team 2's template or survey (400)", async () => {
    const { t, auth } = await startTwo();
    const tpl = await createTemplate(t, AUTH2, { text: 'team two template' });
    await expectRejected(t, () => send(t, auth, sms(N1, { text: undefined, template_id: tpl })), 400, 'bad_data', 'template_id');
    await expectRejected(t, () => send(t, auth, sms(N1, { text: undefined, survey_id: 20 })), 400, 'bad_data', 'survey_id');
    // Team 2 can use both; and cannot use team 1's survey 10.
    await sendOk(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N1, template_id: tpl });
    await sendOk(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N2, survey_id: 20 });
    await expectRejected(t, () => send(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N1, survey_id: 10 }), 400, 'bad_data', 'survey_id');
    expect(delivered(t).map((d) => d.text)).toEqual(['team two template', 'Team two: how did we do?']);
  });

  it("the same number is a separate contact and conversation in each team; merge values never cross", async () => {
    const { t, auth } = await startTwo();
    const c2 = await t.http.post('/v1/contact').set('Authorization', AUTH2).send({ phone: N1, first: 'Zed' });
    expect(c2.status).toBe(200);
    await sendOk(t, auth, sms(N1, { text: 'Hi {{first_name}}!' }));
    expect(t.sql('SELECT team_id, first FROM contacts ORDER BY id')).toEqual([
      { team_id: 2, first: 'Zed' },
      { team_id: 1, first: '' },
    ]);
    expect(delivered(t).map((d) => d.text)).toEqual(['Hi !']);
    expect(t.sql('SELECT team_id, inbox_id FROM conversations')).toEqual([{ team_id: 1, inbox_id: SMS_INBOX }]);
    expect(count(t, 'messages')).toBe(1);
  });
});
