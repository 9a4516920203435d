import { describe, expect, it } from 'vitest';
import {
  conversationOf, count, createContact, createList, createTemplate, EMAIL_INBOX, expectRejected, N1, N2, N3, send, sendEmailOk,
  email, sendOk, setStatus, sms, SMS_INBOX, start,
} from './support.js';

// Every rejection here also proves (expectRejected) that messages, conversations, contacts,
// contact_channels, outbox, send_keys and broadcasts are unchanged.

describe('POST /v1/message/send: validation (rules 1-9)', () => {
  it('inbox_id and creator_id are required (rule 2)', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, sms(N1, { inbox_id: undefined })), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, () => send(t, auth, sms(N1, { creator_id: undefined })), 400, 'bad_data', 'creator_id');
    // The email spelling does not count here.
    await expectRejected(t, () => send(t, auth, { inbox: SMS_INBOX, creator_id: 1, phone_number: N1, text: 'x' }), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, () => send(t, auth, sms(N1, { inbox_id: '10' })), 400, 'bad_data', 'inbox_id');
  });

  it('unknown inbox or an email inbox → 400 naming inbox_id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, sms(N1, { inbox_id: 999 })), 400, 'bad_data', 'inbox_id');
    const res = await expectRejected(t, () => send(t, auth, sms(N1, { inbox_id: EMAIL_INBOX })), 400, 'bad_data', 'inbox_id');
    expect(res.body.message).toMatch(/email/i);
  });

  it('creator not in the team, or not a member of the inbox → 403 denied naming creator_id (rule 8)', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, sms(N1, { creator_id: 99 })), 403, 'denied', 'creator_id');
    // Member 3 is in the team but only in the email inbox.
    await expectRejected(t, () => send(t, auth, sms(N1, { creator_id: 3 })), 403, 'denied', 'creator_id');
    // Member 2 belongs to inbox 10: accepted.
    await sendOk(t, auth, sms(N1, { creator_id: 2 }));
  });

  it('no target family → 400 naming phone_number', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, text: 'to nobody' }), 400, 'bad_data', 'phone_number');
  });

  it('phone_number and chat_id together → 400 naming chat_id (rule 3)', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1));
    await expectRejected(t, () => send(t, auth, sms(N1, { chat_id: conversationOf(t, first.id) })), 400, 'bad_data', 'chat_id');
  });

  it('two target families in one send → 400 (rule 4)', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [N2] });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [sms(N1, { list_id: list, local_id: 'x-1' }), ['list_id', 'phone_number']],
      [sms(N1, { targets: [N2, N3] }), ['targets', 'phone_number']],
      [{ inbox_id: SMS_INBOX, creator_id: 1, text: 'x', list_id: list, local_id: 'x-2', targets: [N2, N3] }, ['list_id', 'targets']],
    ];
    for (const [body, fields] of cases) {
      const res = await expectRejected(t, () => send(t, auth, body), 400, 'bad_data', undefined);
      expect(fields).toContain(res.body.field);
    }
  });

  it('phone_number must be E.164 digits without "+" (rules 1, 4)', async () => {
    const { t, auth } = await start();
    for (const bad of [`+${N1}`, '415-555-1001', '(415) 5551001', '1415555', 'abcdefghijk', '', 14155551001]) {
      await expectRejected(t, () => send(t, auth, sms(N1, { phone_number: bad })), 400, 'bad_data', 'phone_number');
    }
  });

  it('no content → 400 naming text; whitespace-only text is no content', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, sms(N1, { text: undefined })), 400, 'bad_data', 'text');
    await expectRejected(t, () => send(t, auth, sms(N1, { text: '' })), 400, 'bad_data', 'text');
    await expectRejected(t, () => send(t, auth, sms(N1, { text: '   ' })), 400, 'bad_data', 'text');
  });

  it('two of text / template_id / survey_id → 400', async () => {
    const { t, auth } = await start();
    const tpl = await createTemplate(t, auth, { text: 'template' });
    for (const extra of [{ template_id: tpl }, { survey_id: 10 }]) {
      const res = await expectRejected(t, () => send(t, auth, sms(N1, extra)), 400, 'bad_data', undefined);
      expect(['text', 'template_id', 'survey_id']).toContain(res.body.field);
    }
    const res = await expectRejected(t, () => send(t, auth, sms(N1, { text: undefined, template_id: tpl, survey_id: 10 })), 400, 'bad_data', undefined);
    expect(['template_id', 'survey_id']).toContain(res.body.field);
  });

  it('unknown template or survey → 400 naming it', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, sms(N1, { text: undefined, template_id: 999 })), 400, 'bad_data', 'template_id');
    await expectRejected(t, () => send(t, auth, sms(N1, { text: undefined, survey_id: 999 })), 400, 'bad_data', 'survey_id');
  });

  it('media_url must be an http(s) URL (rule 6)', async () => {
    const { t, auth } = await start();
    for (const bad of ['ftp://cdn.example.com/a.png', 'cdn.example.com/a.png', 'javascript:alert(1)', 'file:///etc/passwd', '']) {
      await expectRejected(t, () => send(t, auth, sms(N1, { media_url: bad })), 400, 'bad_data', 'media_url');
    }
  });

  it('wrong types are refused naming the field', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, sms(N1, { text: 42 })), 400, 'bad_data', 'text');
    await expectRejected(t, () => send(t, auth, sms(N1, { private: 'yes' })), 400, 'bad_data', 'private');
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: 'abc', text: 'x' }), 400, 'bad_data', 'chat_id');
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, targets: N1, text: 'x' }), 400, 'bad_data', 'targets');
  });

  it('chat_id unknown → 404; of another inbox, or an email thread → 400 naming chat_id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: 999, text: 'x' }), 404, 'not_found', 'chat_id');
    const other = await sendOk(t, auth, sms(N1, { inbox_id: 11 }));
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: conversationOf(t, other.id), text: 'x' }), 400, 'bad_data', 'chat_id');
    const mail = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'] }));
    await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: mail.convo_id, text: 'x' }), 400, 'bad_data', 'chat_id');
  });
});

describe('POST /v1/message/send: opted-out and blocked recipients (rule 10, gap M3)', () => {
  it('an opted-out contact → 400 saying so; nothing stored', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1 });
    await setStatus(t, auth, id, 'unsubscribed');
    const res = await expectRejected(t, () => send(t, auth, sms(N1)), 400, 'bad_data', 'phone_number');
    expect(res.body.message).toMatch(/opted out|unsubscribed/i);
  });

  it('a contact created with is_opted_out: true cannot be messaged either', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: N1, is_opted_out: true });
    const res = await expectRejected(t, () => send(t, auth, sms(N1)), 400, 'bad_data', 'phone_number');
    expect(res.body.message).toMatch(/opted out|unsubscribed/i);
  });

  it('a blocked contact → 400 saying so; nothing stored', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1 });
    await setStatus(t, auth, id, 'blocked');
    const res = await expectRejected(t, () => send(t, auth, sms(N1)), 400, 'bad_data', 'phone_number');
    expect(res.body.message).toMatch(/blocked/i);
  });

  it('chat_id into the conversation of a contact who opted out since → 400; after opting back in it sends', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1));
    const convId = conversationOf(t, first.id);
    const id = t.sql<{ id: number }>('SELECT id FROM contacts')[0]!.id;
    await setStatus(t, auth, id, 'unsubscribed');
    const res = await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: convId, text: 'x' }), 400, 'bad_data', 'chat_id');
    expect(res.body.message).toMatch(/opted out|unsubscribed/i);
    await expectRejected(t, () => send(t, auth, sms(N1)), 400, 'bad_data', 'phone_number');
    await setStatus(t, auth, id, 'subscribed');
    await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: convId, text: 'welcome back' });
    expect(count(t, 'outbox')).toBe(2);
  });

  it('after unblocking, the contact can be messaged again', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1 });
    await setStatus(t, auth, id, 'blocked');
    await expectRejected(t, () => send(t, auth, sms(N1)), 400, 'bad_data', 'phone_number');
    await setStatus(t, auth, id, 'unblocked');
    await sendOk(t, auth, sms(N1));
    expect(count(t, 'outbox')).toBe(1);
  });
});
