import { describe, expect, it } from 'vitest';
import {
  conversationOf, count, createContact, delivered, expectRejected, getConversation, iso, messageRow, N1, N2, N3, num,
  send, sendOk, setStatus, SMS_INBOX, SMS_PHONE, start, T0, TOLL_FREE_INBOX,
} from './support.js';

const group = (targets: string[], extra: Record<string, unknown> = {}) => ({ inbox_id: SMS_INBOX, creator_id: 1, targets, text: 'Team dinner at 7', ...extra });

describe('POST /v1/message/send: group MMS (targets)', () => {
  it('one message into one group thread, one outbox entry to every number, end to end', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: N2, first: 'Bob', last: 'B' });
    const res = await send(t, auth, group([N3, N1, N2]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // A group without media is still MMS, but it has no gallery (gap M5).
    expect(res.body).toEqual({ id: expect.any(Number), date: iso(T0), gallery_url: '' });

    expect(count(t, 'messages')).toBe(1);
    expect(count(t, 'conversations')).toBe(1);
    // Every number is a contact now (the existing one reused).
    expect(t.sql('SELECT phone FROM contacts ORDER BY phone')).toEqual([{ phone: N1 }, { phone: N2 }, { phone: N3 }]);

    const conv = await getConversation(t, auth, conversationOf(t, res.body.id));
    expect(conv).toMatchObject({
      channel: 'mms', type: 'group', inbox: SMS_INBOX, creator: 1, status: 'open',
      targets: [N1, N2, N3], target: `${N1},${N2},${N3}`,
    });
    expect(messageRow(t, res.body.id)).toMatchObject({ channel: 'mms', type: 'outbound', text: 'Team dinner at 7', user_id: 1 });
    expect(delivered(t)).toEqual([
      { message_id: res.body.id, channel: 'mms', from: SMS_PHONE, to: [N1, N2, N3], cc: [], subject: '', text: 'Team dinner at 7', media_url: '' },
    ]);

    // It is a group thread, not individual ones: no individual history for a member.
    const h = await t.http.get('/v1/messages').query({ phoneNumber: N1, inboxID: String(SMS_INBOX) }).set('Authorization', auth);
    expect(h.status).toBe(200);
    expect(h.body).toEqual([]);
    // It is in the team's message list, with the group conversation embedded.
    const all = await t.http.post('/v1/messages/all').set('Authorization', auth).send({});
    expect(all.body).toHaveLength(1);
    expect(all.body[0]).toMatchObject({ id: res.body.id, conversation: conv, type: 'outbound', status: 'sent' });
  });

  it('the same numbers in another order reuse the group thread; chat_id sends into it', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, group([N1, N2, N3]));
    const b = await sendOk(t, auth, group([N3, N2, N1], { text: 'second' }));
    const convId = conversationOf(t, a.id);
    expect(conversationOf(t, b.id)).toBe(convId);
    const c = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 2, chat_id: convId, text: 'third' });
    expect(conversationOf(t, c.id)).toBe(convId);
    expect(count(t, 'conversations')).toBe(1);
    expect(delivered(t).map((d) => [d.channel, d.to, d.text])).toEqual([
      ['mms', [N1, N2, N3], 'Team dinner at 7'],
      ['mms', [N1, N2, N3], 'second'],
      ['mms', [N1, N2, N3], 'third'],
    ]);
  });

  it('a different set of numbers is a different group thread', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, group([N1, N2]));
    const b = await sendOk(t, auth, group([N1, N2, N3]));
    expect(conversationOf(t, a.id)).not.toBe(conversationOf(t, b.id));
  });

  it('media_url on a group: gallery_url and outbox carry it', async () => {
    const { t, auth } = await start();
    const url = 'https://cdn.example.com/map.png';
    const r = await sendOk(t, auth, group([N1, N2], { media_url: url }));
    expect(r.gallery_url).toBe(url);
    expect(delivered(t)[0]).toMatchObject({ channel: 'mms', media_url: url, to: [N1, N2] });
  });

  it('allows exactly 10 numbers', async () => {
    const { t, auth } = await start();
    const ten = Array.from({ length: 10 }, (_, i) => num(i));
    await sendOk(t, auth, group(ten));
    expect(delivered(t)[0]!.to).toEqual(ten);
  });

  it('toll-free inbox 11 → 400 naming targets; nothing stored (no contacts for the new numbers)', async () => {
    const { t, auth } = await start();
    const res = await expectRejected(t, () => send(t, auth, group([N1, N2], { inbox_id: TOLL_FREE_INBOX })), 400, 'bad_data', 'targets');
    expect(res.body.message).toMatch(/toll-free/i);
  });

  it('fewer than 2 distinct or more than 10 numbers → 400 naming targets', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, group([N1])), 400, 'bad_data', 'targets');
    await expectRejected(t, () => send(t, auth, group([N1, N1])), 400, 'bad_data', 'targets');
    await expectRejected(t, () => send(t, auth, group([])), 400, 'bad_data', 'targets');
    await expectRejected(t, () => send(t, auth, group(Array.from({ length: 11 }, (_, i) => num(i)))), 400, 'bad_data', 'targets');
  });

  it('each number must be E.164 without "+": 400 naming the element', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, group([N1, `+${N2}`])), 400, 'bad_data', 'targets[1]');
    await expectRejected(t, () => send(t, auth, group(['(415) 555-1001', N2])), 400, 'bad_data', 'targets[0]');
    await expectRejected(t, () => send(t, auth, group([N1, 'abc'])), 400, 'bad_data', 'targets[1]');
  });

  it('an opted-out member → 400 saying so; nothing stored, not even the contact of the new number', async () => {
    const { t, auth } = await start();
    const b = await createContact(t, auth, { phone: N2 });
    await setStatus(t, auth, b, 'unsubscribed');
    const res = await expectRejected(t, () => send(t, auth, group([N1, N2])), 400, 'bad_data', undefined);
    expect(res.body.message).toMatch(/opted out|unsubscribed/i);
    expect(res.body.field).toMatch(/^targets/);
  });

  it('a blocked member → 400 saying so, naming that member’s position in the request', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: N1 });
    await setStatus(t, auth, c, 'blocked');
    // N1 sorts first, but the request lists it second: the error must point at targets[1].
    const res = await expectRejected(t, () => send(t, auth, group([N3, N1])), 400, 'bad_data', undefined);
    expect(res.body.message).toMatch(/blocked/i);
    expect(res.body.field).toBe('targets[1]');
  });

  it('chat_id into a group thread with a member who opted out since → 400, nothing stored', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, group([N1, N2]));
    const id = t.sql<{ id: number }>('SELECT id FROM contacts WHERE phone = ?', N2)[0]!.id;
    await setStatus(t, auth, id, 'unsubscribed');
    const res = await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: conversationOf(t, a.id), text: 'x' }), 400, 'bad_data', 'chat_id');
    expect(res.body.message).toMatch(/opted out|unsubscribed/i);
  });
});
