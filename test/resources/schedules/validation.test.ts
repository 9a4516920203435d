import { describe, expect, it } from 'vitest';
import { insertConversation } from '../../../src/resources/conversations/store.js';
import type { TestApp } from '../../support/app.js';
import { at, body, createList, createTemplate, expectRejected, MIN, PHONE, PHONE2, start } from './support.js';

// Every rule of POST /v1/schedule (rule 29, gaps D2/D3): each refusal names its field, says which
// rule failed, and leaves the store as it was. PUT shares the rules (crud.test.ts).

const post = (t: TestApp, auth: string, b: unknown) => () => t.http.post('/v1/schedule').set('Authorization', auth).send(b as object);

describe('execute_at', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['missing', undefined, /is required/],
    ['not a string', 1768479300, /RFC 3339/],
    ['not RFC 3339 (space, no zone)', '2026-01-15 12:15:00', /RFC 3339/],
    ['a date only', '2026-01-15', /RFC 3339/],
    ['without seconds', '2026-01-15T12:15Z', /RFC 3339/],
    ['in the past', '2026-01-15T11:45:00Z', /in the past/],
    ['now', at(0), /at least 15 minutes/],
    ['14 minutes ahead', '2026-01-15T12:14:00Z', /only 14 min 0 s ahead; it must be at least 15 minutes/],
    ['14:59 ahead', '2026-01-15T12:14:59Z', /at least 15 minutes/],
    ['at minute :07', '2026-01-15T13:07:00Z', /minute :07 .*:00, :15, :30 or :45/],
    ['with 30 seconds', '2026-01-15T12:30:30Z', /seconds .*must be :00/],
    ['with a fraction of a second', '2026-01-15T12:30:00.250Z', /seconds .*must be :00/],
  ];
  for (const [name, value, message] of cases) {
    it(`refuses execute_at ${name}`, async () => {
      const { t, auth } = await start();
      const res = await expectRejected(t, post(t, auth, body({ execute_at: value })), 400, 'bad_data', 'execute_at');
      expect(res.body.message).toMatch(/^execute_at: /);
      expect(res.body.message).toMatch(message);
    });
  }

  it('checks the time against the injected clock, not the wall clock', async () => {
    const { t } = await start();
    t.clock.advance(60 * MIN);
    const later = await t.auth(); // tokens live 300 s on the app's clock
    await expectRejected(t, post(t, later, body({ execute_at: at(15 * MIN) })), 400, 'bad_data', 'execute_at');
    const ok = await post(t, later, body({ execute_at: at(75 * MIN) }))();
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});

describe('required fields and the inbox', () => {
  it('requires inbox_id and content', async () => {
    const { t, auth } = await start();
    await expectRejected(t, post(t, auth, body({ inbox_id: undefined })), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, post(t, auth, body({ content: undefined })), 400, 'bad_data', 'content');
    await expectRejected(t, post(t, auth, body({ inbox_id: 'ten' })), 400, 'bad_data', 'inbox_id');
  });

  it('refuses an inbox of another kind or outside the team', async () => {
    const { t, auth } = await start();
    const email = await expectRejected(t, post(t, auth, body({ inbox_id: 12, user_id: 1 })), 400, 'bad_data', 'inbox_id');
    expect(email.body.message).toMatch(/email inbox/);
    await expectRejected(t, post(t, auth, body({ inbox_id: 99 })), 400, 'bad_data', 'inbox_id');
  });

  it('says user_id defaulted to the owner when the owner is not in the inbox', async () => {
    const { t, auth } = await start();
    // An SMS inbox without the owner does not exist in the default seed: member 3 is checked explicitly.
    const res = await expectRejected(t, post(t, auth, body({ user_id: 3 })), 403, 'denied', 'user_id');
    expect(res.body.message).toMatch(/member 3 is not a member of inbox 10/);
  });
});

describe('content', () => {
  it('needs text or template', async () => {
    const { t, auth } = await start();
    for (const content of [{}, { text: '' }, { text: '   ' }, { attachments: [{ url: 'https://cdn.example.com/a.png' }] }, { gallery: [{ url: 'https://cdn.example.com/a.png' }] }]) {
      const res = await expectRejected(t, post(t, auth, body({ content })), 400, 'bad_data', 'content');
      expect(res.body.message).toMatch(/needs text or template/);
    }
  });

  it('refuses text and template together, a malformed template, and a template of nobody', async () => {
    const { t, auth } = await start();
    const tpl = await createTemplate(t, auth, 'Hi');
    await expectRejected(t, post(t, auth, body({ content: { text: 'a', template: tpl } })), 400, 'bad_data', 'content.template');
    for (const template of ['1', 0, -2, 1.5, true, [tpl], { name: 'x' }, { id: 'x' }, { id: 0 }]) {
      const res = await expectRejected(t, post(t, auth, body({ content: { template } })), 400, 'bad_data', 'content.template');
      expect(res.body.message).toBe('content.template: must be a template id (a positive integer) or {"id": <template id>}');
    }
    const res = await expectRejected(t, post(t, auth, body({ content: { template: tpl + 1 } })), 400, 'bad_data', 'content.template');
    expect(res.body.message).toBe(`content.template: no template with id ${tpl + 1} in this team`);
    await expectRejected(t, post(t, auth, body({ content: { template: { id: tpl + 1 } } })), 400, 'bad_data', 'content.template');
  });

  it('checks media URLs, content.to and sizes', async () => {
    const { t, auth } = await start();
    await expectRejected(t, post(t, auth, body({ content: { text: 'a', attachments: [{ name: 'x' }] } })), 400, 'bad_data', 'content.attachments[0].url');
    await expectRejected(t, post(t, auth, body({ content: { text: 'a', attachments: [{ url: 'ftp://x.example/a' }] } })), 400, 'bad_data', 'content.attachments[0].url');
    await expectRejected(t, post(t, auth, body({ content: { text: 'a', gallery: [{ url: 'not a url' }] } })), 400, 'bad_data', 'content.gallery[0].url');
    await expectRejected(t, post(t, auth, body({ content: { text: 'a', to: '+14155551234' } })), 400, 'bad_data', 'content.to');
    const other = await expectRejected(t, post(t, auth, body({ content: { text: 'a', to: PHONE2 } })), 400, 'bad_data', 'content.to');
    expect(other.body.message).toMatch(/not the recipient/);
    await expectRejected(t, post(t, auth, body({ content: { text: 'x'.repeat(10_001) } })), 400, 'bad_data', 'content.text');
  });
});

describe('target family', () => {
  it('requires exactly one of phone_number, conversation_id, list_id, targets', async () => {
    const { t, auth } = await start();
    const none = await expectRejected(t, post(t, auth, body({ phone_number: undefined })), 400, 'bad_data', 'phone_number');
    expect(none.body.message).toMatch(/phone_number, conversation_id, list_id or targets/);
    const toOnly = await expectRejected(t, post(t, auth, body({ phone_number: undefined, content: { text: 'a', to: PHONE } })), 400, 'bad_data', 'phone_number');
    expect(toOnly.body.message).toMatch(/content.to alone/);
    await expectRejected(t, post(t, auth, body({ conversation_id: 1 })), 400, 'bad_data', 'conversation_id');
    await expectRejected(t, post(t, auth, body({ list_id: 1 })), 400, 'bad_data', 'list_id');
    const two = await expectRejected(t, post(t, auth, body({ phone_number: undefined, list_id: 1, targets: [PHONE, PHONE2] })), 400, 'bad_data', 'targets');
    expect(two.body.message).toMatch(/pick one target family, not list_id and targets/);
  });

  it('checks phone numbers and group size', async () => {
    const { t, auth } = await start();
    await expectRejected(t, post(t, auth, body({ phone_number: '+14155551234' })), 400, 'bad_data', 'phone_number');
    await expectRejected(t, post(t, auth, body({ phone_number: undefined, targets: [PHONE, '123'] })), 400, 'bad_data', 'targets[1]');
    await expectRejected(t, post(t, auth, body({ phone_number: undefined, targets: [PHONE, PHONE] })), 400, 'bad_data', 'targets');
    const eleven = Array.from({ length: 11 }, (_, i) => `1415555${2000 + i}`);
    await expectRejected(t, post(t, auth, body({ phone_number: undefined, targets: eleven })), 400, 'bad_data', 'targets');
    await expectRejected(t, post(t, auth, body({ phone_number: undefined, targets: [{ phone: PHONE }, { phone: PHONE2 }] })), 400, 'bad_data', 'targets[0]');
  });

  it('refuses group MMS from the toll-free inbox', async () => {
    const { t, auth } = await start();
    const res = await expectRejected(t, post(t, auth, body({ inbox_id: 11, phone_number: undefined, targets: [PHONE, PHONE2] })), 400, 'bad_data', 'targets');
    expect(res.body.message).toMatch(/toll-free/);
  });

  it('checks that the list and the conversation exist in the team and fit the inbox', async () => {
    const { t, auth } = await start();
    const list = await expectRejected(t, post(t, auth, body({ phone_number: undefined, list_id: 5 })), 400, 'bad_data', 'list_id');
    expect(list.body.message).toBe('list_id: no list with id 5 in this team');
    const conv = await expectRejected(t, post(t, auth, body({ phone_number: undefined, conversation_id: 5 })), 400, 'bad_data', 'conversation_id');
    expect(conv.body.message).toBe('conversation_id: no conversation with id 5 in this team');

    const now = t.clock.now();
    const db = t.app.mock.db;
    const base = { contactId: null, op: 'create', created: now, updated: now };
    const inOther = insertConversation(db, 1, { ...base, inboxId: 11, channel: 'sms', target: PHONE, targets: [PHONE] });
    const email = insertConversation(db, 1, { ...base, inboxId: 12, channel: 'email', target: 'a@example.com', targets: ['a@example.com'] });
    const group = insertConversation(db, 1, { ...base, inboxId: 11, channel: 'mms', target: `${PHONE},${PHONE2}`, targets: [PHONE, PHONE2] });
    const wrong = await expectRejected(t, post(t, auth, body({ phone_number: undefined, conversation_id: inOther.id })), 400, 'bad_data', 'conversation_id');
    expect(wrong.body.message).toMatch(/belongs to inbox 11, not 10/);
    const mail = await expectRejected(t, post(t, auth, body({ inbox_id: 12, phone_number: undefined, conversation_id: email.id })), 400, 'bad_data', 'inbox_id');
    expect(mail.body.message).toMatch(/email inbox/);
    await expectRejected(t, post(t, auth, body({ inbox_id: 11, phone_number: undefined, conversation_id: group.id })), 400, 'bad_data', 'conversation_id');

    const listId = await createList(t, auth, [PHONE]);
    const ok = await post(t, auth, body({ phone_number: undefined, list_id: listId }))();
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});
