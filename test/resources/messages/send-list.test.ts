import { describe, expect, it } from 'vitest';
import {
  conversationOf, count, createContact, createField, createList, createTemplate, delivered, expectRejected, getConversation, history,
  messageRow, N1, N2, N3, N4, send, sendOk, SMS_INBOX, SMS_PHONE, setStatus, start, TOLL_FREE_INBOX, TOLL_FREE_PHONE,
} from './support.js';

const broadcast = (listId: number, extra: Record<string, unknown> = {}) => ({
  inbox_id: SMS_INBOX, creator_id: 1, list_id: listId, local_id: 'bc-1', text: 'Hi {{first_name}}, you are on {{Plan Tier}}.', ...extra,
});

describe('POST /v1/message/send: list broadcast (list_id + local_id)', () => {
  it('a list of 3 → 3 messages in 3 separate conversations, 3 outbox entries, each rendered for its member', async () => {
    const { t, auth } = await start();
    const plan = await createField(t, auth, 'Plan Tier');
    const a = await createContact(t, auth, { phone: N1, first: 'Ada', custom: { [plan]: 'Gold' } });
    const b = await createContact(t, auth, { phone: N2, first: 'Bob', custom: { [plan]: 'Silver' } });
    const c = await createContact(t, auth, { phone: N3, first: 'Cy' });
    const list = await createList(t, auth, { contacts: [a, b, c] });

    const before = count(t, 'messages');
    const res = await send(t, auth, broadcast(list));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['date', 'gallery_url', 'id']);
    expect(res.body.gallery_url).toBe('');

    const msgs = t.sql<{ id: number; conversation_id: number; broadcast_id: number | null; local_id: string; target: string; text: string; type: string }>(
      'SELECT id, conversation_id, broadcast_id, local_id, target, text, type FROM messages ORDER BY id',
    );
    expect(msgs).toHaveLength(before + 3);
    // The response names the first message.
    expect(res.body.id).toBe(msgs[0]!.id);
    expect(msgs.map((m) => [m.target, m.text, m.type])).toEqual([
      [N1, 'Hi Ada, you are on Gold.', 'outbound'],
      [N2, 'Hi Bob, you are on Silver.', 'outbound'],
      [N3, 'Hi Cy, you are on .', 'outbound'],
    ]);
    // One broadcast, three separate one-to-one conversations (no shared group thread).
    expect(new Set(msgs.map((m) => m.broadcast_id)).size).toBe(1);
    expect(msgs[0]!.broadcast_id).toBeGreaterThan(0);
    expect(msgs.every((m) => m.local_id === 'bc-1')).toBe(true);
    expect(new Set(msgs.map((m) => m.conversation_id)).size).toBe(3);
    expect(count(t, 'conversations')).toBe(3);

    expect(delivered(t)).toEqual([
      { message_id: msgs[0]!.id, channel: 'sms', from: SMS_PHONE, to: [N1], cc: [], subject: '', text: 'Hi Ada, you are on Gold.', media_url: '' },
      { message_id: msgs[1]!.id, channel: 'sms', from: SMS_PHONE, to: [N2], cc: [], subject: '', text: 'Hi Bob, you are on Silver.', media_url: '' },
      { message_id: msgs[2]!.id, channel: 'sms', from: SMS_PHONE, to: [N3], cc: [], subject: '', text: 'Hi Cy, you are on .', media_url: '' },
    ]);

    // Each conversation is the member's own individual thread, and history shows the message with its broadcast id.
    for (const [i, phone] of [N1, N2, N3].entries()) {
      const conv = await getConversation(t, auth, msgs[i]!.conversation_id);
      expect(conv).toMatchObject({ type: 'individual', channel: 'sms', target: phone, targets: [phone], inbox: SMS_INBOX });
      const h = await history(t, auth, phone, SMS_INBOX);
      expect(h).toHaveLength(1);
      expect(h[0]).toMatchObject({ id: msgs[i]!.id, broadcast_id: msgs[0]!.broadcast_id, local_id: 'bc-1', text: msgs[i]!.text, phone });
    }
  });

  it('numbers a list was made with are its contacts; each gets a conversation; names fall back to empty', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [N1, N2] });
    const contacts = t.sql('SELECT id, phone FROM contacts ORDER BY id');
    expect(contacts.map((c) => (c as { phone: string }).phone)).toEqual([N1, N2]);
    await sendOk(t, auth, broadcast(list, { text: 'Hello {{first_name}}!' }));
    expect(t.sql('SELECT id, phone FROM contacts ORDER BY id')).toEqual(contacts);
    expect(t.sql('SELECT target, contact_id IS NOT NULL AS linked FROM conversations ORDER BY id')).toEqual([
      { target: N1, linked: 1 },
      { target: N2, linked: 1 },
    ]);
    expect(delivered(t).map((d) => [d.to, d.text])).toEqual([[[N1], 'Hello !'], [[N2], 'Hello !']]);
  });

  it('lightweight entries of a list written before issue #8.4 get a contact each at the broadcast, with their names', async () => {
    const { t, auth } = await start();
    const ada = await createContact(t, auth, { phone: N3, first: 'Ada' });
    const list = await createList(t, auth, { contacts: [ada] });
    const insert = t.app.mock.db.$client.prepare("INSERT INTO list_members (team_id, list_id, contact_id, phone, first, last) VALUES (1, ?, NULL, ?, ?, '')");
    insert.run(list, N1, 'Lee');
    insert.run(list, N2, '');
    await sendOk(t, auth, broadcast(list, { text: 'Hello {{first_name}}!' }));
    expect(t.sql('SELECT phone, first FROM contacts ORDER BY id')).toEqual([{ phone: N3, first: 'Ada' }, { phone: N1, first: 'Lee' }, { phone: N2, first: '' }]);
    expect(delivered(t).map((d) => [d.to, d.text])).toEqual([[[N3], 'Hello Ada!'], [[N1], 'Hello Lee!'], [[N2], 'Hello !']]);
    expect(t.sql('SELECT count(*) AS n FROM list_members WHERE contact_id IS NULL')).toEqual([{ n: 0 }]);
  });

  it('reuses a member’s existing conversation in the inbox', async () => {
    const { t, auth } = await start();
    const earlier = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, phone_number: N1, text: 'earlier' });
    const list = await createList(t, auth, { phones: [N1, N2] });
    const r = await sendOk(t, auth, broadcast(list, { text: 'news' }));
    expect(conversationOf(t, r.id)).toBe(conversationOf(t, earlier.id));
    expect(count(t, 'conversations')).toBe(2);
    expect((await history(t, auth, N1, SMS_INBOX)).map((m) => m.text)).toEqual(['news', 'earlier']);
  });

  it('skips opted-out and blocked members instead of failing the broadcast', async () => {
    const { t, auth } = await start();
    const a = await createContact(t, auth, { phone: N1, first: 'Ada' });
    const b = await createContact(t, auth, { phone: N2, first: 'Bob' });
    const c = await createContact(t, auth, { phone: N3, first: 'Cy' });
    const d = await createContact(t, auth, { phone: N4, first: 'Di' });
    await setStatus(t, auth, b, 'unsubscribed');
    await setStatus(t, auth, c, 'blocked');
    const list = await createList(t, auth, { contacts: [a, b, c, d] });
    const r = await sendOk(t, auth, broadcast(list, { text: 'Hi {{first_name}}' }));
    expect(delivered(t).map((x) => [x.to, x.text])).toEqual([[[N1], 'Hi Ada'], [[N4], 'Hi Di']]);
    expect(t.sql('SELECT target FROM messages ORDER BY id')).toEqual([{ target: N1 }, { target: N4 }]);
    expect(t.sql('SELECT target FROM conversations ORDER BY id')).toEqual([{ target: N1 }, { target: N4 }]);
    expect(r.id).toBe(t.sql<{ id: number }>('SELECT min(id) AS id FROM messages')[0]!.id);
  });

  it('400 naming list_id when no member can be reached; nothing stored', async () => {
    const { t, auth } = await start();
    const b = await createContact(t, auth, { phone: N2 });
    const c = await createContact(t, auth, { phone: N3 });
    await setStatus(t, auth, b, 'unsubscribed');
    await setStatus(t, auth, c, 'blocked');
    const list = await createList(t, auth, { contacts: [b, c] });
    await expectRejected(t, () => send(t, auth, broadcast(list)), 400, 'bad_data', 'list_id');
  });

  it('members without a phone (email-only) are not reachable by SMS', async () => {
    const { t, auth } = await start();
    const v2 = await t.http.post('/v2/contact').set('Authorization', auth).send({ first: 'Mail', contact_channels: [{ channel_type: 'email', channel_id: 'mail@example.com' }] });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    const onlyEmail = await createList(t, auth, { type: 'contacts', contacts: [v2.body.id] });
    await expectRejected(t, () => send(t, auth, broadcast(onlyEmail)), 400, 'bad_data', 'list_id');
    const mixed = await createList(t, auth, { type: 'contacts', contacts: [v2.body.id], phones: [N1] });
    await sendOk(t, auth, broadcast(mixed, { local_id: 'bc-2', text: 'sms only' }));
    expect(delivered(t).map((x) => x.to)).toEqual([[N1]]);
  });

  it('a template broadcast renders the template per member', async () => {
    const { t, auth } = await start();
    const a = await createContact(t, auth, { phone: N1, first: 'Ada', last: 'L' });
    const b = await createContact(t, auth, { phone: N2, first: 'Bob', last: 'M' });
    const tpl = await createTemplate(t, auth, { text: '{{first_name}} {{last_name}}: sale today' });
    const list = await createList(t, auth, { contacts: [a, b] });
    await sendOk(t, auth, { inbox_id: TOLL_FREE_INBOX, creator_id: 2, list_id: list, local_id: 'tpl-bc', template_id: tpl });
    expect(delivered(t).map((x) => [x.from, x.to, x.text])).toEqual([
      [TOLL_FREE_PHONE, [N1], 'Ada L: sale today'],
      [TOLL_FREE_PHONE, [N2], 'Bob M: sale today'],
    ]);
  });

  it('a media broadcast sends MMS to each member; gallery_url is the media', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [N1, N2] });
    const url = 'https://cdn.example.com/promo.gif';
    const r = await sendOk(t, auth, broadcast(list, { text: 'promo', media_url: url }));
    expect(r.gallery_url).toBe(url);
    expect(delivered(t).map((x) => [x.channel, x.to, x.media_url])).toEqual([['mms', [N1], url], ['mms', [N2], url]]);
    expect(messageRow(t, r.id)).toMatchObject({ channel: 'mms', media_url: url });
  });

  it('list_id without local_id → 400 naming local_id; unknown list → 400 naming list_id; nothing stored', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [N1] });
    await expectRejected(t, () => send(t, auth, broadcast(list, { local_id: undefined })), 400, 'bad_data', 'local_id');
    await expectRejected(t, () => send(t, auth, broadcast(list, { local_id: '' })), 400, 'bad_data', 'local_id');
    await expectRejected(t, () => send(t, auth, broadcast(9999)), 400, 'bad_data', 'list_id');
  });
});
