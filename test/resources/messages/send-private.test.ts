import { describe, expect, it } from 'vitest';
import {
  conversationOf, count, createContact, createList, delivered, expectRejected, getConversation, history, messageRow,
  N1, N2, send, sendOk, setStatus, sms, SMS_INBOX, start, TOLL_FREE_INBOX,
} from './support.js';

const note = (extra: Record<string, unknown>) => ({ inbox_id: SMS_INBOX, creator_id: 2, private: true, text: 'Customer prefers mornings', ...extra });

describe('POST /v1/message/send: private notes (private: true)', () => {
  it('chat_id: stored as a note in the conversation, never delivered; shows in history as type "note"', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1, { text: 'hello' }));
    const convId = conversationOf(t, first.id);
    const outboxBefore = delivered(t);

    const res = await send(t, auth, note({ chat_id: convId, author: 'Bob' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['date', 'gallery_url', 'id']);
    expect(res.body.gallery_url).toBe('');

    expect(messageRow(t, res.body.id)).toMatchObject({ type: 'note', conversation_id: convId, text: 'Customer prefers mornings', user_id: 2, author: 'Bob' });
    // Nothing is sent to the customer.
    expect(delivered(t)).toEqual(outboxBefore);
    expect(count(t, 'conversations')).toBe(1);

    const h = await history(t, auth, N1, SMS_INBOX);
    expect(h.map((m) => [m.type, m.text])).toEqual([['note', 'Customer prefers mornings'], ['outbound', 'hello']]);
    expect(h[0]).toMatchObject({ id: res.body.id, author: 'Bob', user: 2, status: 'sent', conversation: { id: convId } });
  });

  it('phone_number of an existing conversation in that inbox: the note goes into it', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1));
    const r = await sendOk(t, auth, note({ phone_number: N1 }));
    expect(conversationOf(t, r.id)).toBe(conversationOf(t, first.id));
    expect(messageRow(t, r.id).type).toBe('note');
    expect(count(t, 'outbox')).toBe(1);
  });

  it('merge tokens render in a note too', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: N1, first: 'Ada' });
    const first = await sendOk(t, auth, sms(N1));
    const r = await sendOk(t, auth, note({ chat_id: conversationOf(t, first.id), text: 'Call {{first_name}} back' }));
    expect(messageRow(t, r.id).text).toBe('Call Ada back');
  });

  it('a note does not reopen a closed conversation (nothing was sent)', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1));
    const convId = conversationOf(t, first.id);
    const close = await t.http.post('/v1/conversations/close').set('Authorization', auth).send({ inbox_id: SMS_INBOX, user_id: 1, chat_id: convId });
    expect(close.status).toBe(200);
    await sendOk(t, auth, note({ chat_id: convId }));
    expect((await getConversation(t, auth, convId)).status).toBe('closed');
  });

  it('a note is allowed in the conversation of a blocked or opted-out contact (it reaches nobody)', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1));
    const id = t.sql<{ id: number }>('SELECT id FROM contacts')[0]!.id;
    await setStatus(t, auth, id, 'blocked');
    await setStatus(t, auth, id, 'unsubscribed');
    const r = await sendOk(t, auth, note({ chat_id: conversationOf(t, first.id) }));
    expect(messageRow(t, r.id).type).toBe('note');
    expect(count(t, 'outbox')).toBe(1);
  });

  it('phone_number without a conversation in that inbox → 400 naming phone_number; no contact or conversation created', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, note({ phone_number: N1 })), 400, 'bad_data', 'phone_number');
    // A conversation with the number in another inbox does not count.
    await sendOk(t, auth, sms(N2, { inbox_id: TOLL_FREE_INBOX }));
    await expectRejected(t, () => send(t, auth, note({ phone_number: N2 })), 400, 'bad_data', 'phone_number');
    // An existing contact without a conversation is not enough either.
    await createContact(t, auth, { phone: N1 });
    await expectRejected(t, () => send(t, auth, note({ phone_number: N1 })), 400, 'bad_data', 'phone_number');
  });

  it('with list_id or targets → 400; nothing stored', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [N1] });
    const a = await expectRejected(t, () => send(t, auth, note({ list_id: list, local_id: 'n-1' })), 400, 'bad_data', undefined);
    expect(a.body.field).toMatch(/^(private|list_id)$/);
    const b = await expectRejected(t, () => send(t, auth, note({ targets: [N1, N2] })), 400, 'bad_data', undefined);
    expect(b.body.field).toMatch(/^(private|targets)$/);
  });

  it('chat_id unknown → 404; chat_id of another inbox → 400 naming chat_id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, note({ chat_id: 999 })), 404, 'not_found', 'chat_id');
    const other = await sendOk(t, auth, sms(N1, { inbox_id: TOLL_FREE_INBOX }));
    await expectRejected(t, () => send(t, auth, note({ chat_id: conversationOf(t, other.id) })), 400, 'bad_data', 'chat_id');
  });

  it('a note needs text', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1));
    await expectRejected(t, () => send(t, auth, note({ chat_id: conversationOf(t, first.id), text: undefined })), 400, 'bad_data', 'text');
  });
});
