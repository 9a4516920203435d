import { describe, expect, it } from 'vitest';
import { expectApiError } from '../../support/app.js';
import {
  AUTH2, conversationOf, getConversation, history, iso, N1, N2, sendOk, sms, SMS_INBOX, start, startTwo, T0, TOLL_FREE_INBOX,
} from './support.js';

const get = (t: Awaited<ReturnType<typeof start>>['t'], auth: string, q: Record<string, string>) =>
  t.http.get('/v1/messages').query(q).set('Authorization', auth);

describe('GET /v1/messages?phoneNumber=&inboxID=&timestamp= (message history)', () => {
  it('answers the Message objects of that conversation, newest first, with the conversation embedded', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1, { text: 'one' }));
    t.clock.advance(1000);
    const b = await sendOk(t, auth, sms(N1, { text: 'two', media_url: 'https://cdn.example.com/b.png', local_id: 'L2', author: 'Al' }));
    await sendOk(t, auth, sms(N2, { text: 'other number' }));
    const convId = conversationOf(t, a.id);
    const conv = await getConversation(t, auth, convId);

    const res = await get(t, auth, { phoneNumber: N1, inboxID: String(SMS_INBOX) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual([
      {
        id: b.id, author: 'Al', broadcast_id: 0, conversation: conv, custom: { data: [], type: '' }, date: iso(T0 + 1000),
        flagged: false, link_url: '', local_id: 'L2', media: 'https://cdn.example.com/b.png', phone: N1, status: 'sent',
        super: 0, support: false, target: N1, text: 'two', type: 'outbound', updated: iso(T0 + 1000), user: 1,
      },
      {
        id: a.id, author: '', broadcast_id: 0, conversation: conv, custom: { data: [], type: '' }, date: iso(T0),
        flagged: false, link_url: '', local_id: '', media: '', phone: N1, status: 'sent',
        super: 0, support: false, target: N1, text: 'one', type: 'outbound', updated: iso(T0), user: 1,
      },
    ]);
    expect(b.date).toBe(iso(T0 + 1000));
  });

  it('phoneNumber and inboxID are both required (rule 34)', async () => {
    const { t, auth } = await start();
    expectApiError(await get(t, auth, { inboxID: '10' }), 400, 'bad_data', 'phoneNumber');
    expectApiError(await get(t, auth, { phoneNumber: N1 }), 400, 'bad_data', 'inboxID');
    expectApiError(await get(t, auth, {}), 400, 'bad_data');
    // snake_case names are not the documented ones.
    expectApiError(await get(t, auth, { phone_number: N1, inbox_id: '10' }), 400, 'bad_data');
  });

  it('bad values: phoneNumber not E.164, inboxID / timestamp not integers → 400 naming them', async () => {
    const { t, auth } = await start();
    expectApiError(await get(t, auth, { phoneNumber: `+${N1}`, inboxID: '10' }), 400, 'bad_data', 'phoneNumber');
    expectApiError(await get(t, auth, { phoneNumber: 'abc', inboxID: '10' }), 400, 'bad_data', 'phoneNumber');
    expectApiError(await get(t, auth, { phoneNumber: N1, inboxID: 'ten' }), 400, 'bad_data', 'inboxID');
    expectApiError(await get(t, auth, { phoneNumber: N1, inboxID: '10', timestamp: '2026-01-15T12:00:00Z' }), 400, 'bad_data', 'timestamp');
  });

  it('an unknown inbox → 400 naming inboxID; an unknown number → []', async () => {
    const { t, auth } = await start();
    await sendOk(t, auth, sms(N1));
    expectApiError(await get(t, auth, { phoneNumber: N1, inboxID: '999' }), 400, 'bad_data', 'inboxID');
    expect(await history(t, auth, N2, SMS_INBOX)).toEqual([]);
    // A known number without a conversation in that inbox has no history there.
    expect(await history(t, auth, N1, TOLL_FREE_INBOX)).toEqual([]);
  });

  it('returns at most 50, the newest', async () => {
    const { t, auth } = await start();
    const ids: number[] = [];
    // A second apart: the page is cut by whole seconds, so each message has its own.
    for (let i = 0; i < 55; i++) {
      if (i > 0) t.clock.advance(1000);
      ids.push((await sendOk(t, auth, sms(N1, { text: `m${i}` }))).id);
    }
    const h = await history(t, auth, N1, SMS_INBOX);
    expect(h).toHaveLength(50);
    expect(h.map((m) => m.id)).toEqual(ids.slice(5).reverse());
    expect(h[0]!.text).toBe('m54');
  });

  it('never ends a page inside a second: paging by the last message\'s second skips and repeats nothing', async () => {
    const { t, auth } = await start();
    // 40 messages in second T0, 20 in T0+1 s, 45 in T0+2 s; 1 ms apart inside each second.
    const bySecond: number[][] = [];
    for (const [k, size] of [40, 20, 45].entries()) {
      t.clock.set(T0 + k * 1000);
      const run: number[] = [];
      for (let i = 0; i < size; i++) {
        if (i > 0) t.clock.advance(1);
        run.push((await sendOk(t, auth, sms(N1, { text: `s${k}.${i}` }))).id);
      }
      bySecond.push(run);
    }
    const ids = bySecond.flat();
    const s0 = T0 / 1000;
    const second = (m: Record<string, any>) => Math.floor(Date.parse(m.date) / 1000);

    const p1 = await history(t, auth, N1, SMS_INBOX);
    // 45 of T0+2 s and 5 of T0+1 s reach 50; the other 15 of that second come along.
    expect(p1.map((m) => m.id)).toEqual([...bySecond[1]!, ...bySecond[2]!].reverse());
    expect(p1.slice(49).every((m) => second(m) === s0 + 1)).toBe(true);
    const p2 = await history(t, auth, N1, SMS_INBOX, second(p1.at(-1)!));
    expect(p2.map((m) => m.id)).toEqual([...bySecond[0]!].reverse());
    expect(await history(t, auth, N1, SMS_INBOX, second(p2.at(-1)!))).toEqual([]);
    const seen = [...p1, ...p2].map((m) => m.id);
    expect(new Set(seen).size).toBe(ids.length);
    expect(seen).toEqual([...ids].reverse());
  });

  it('timestamp (Unix seconds) → only messages sent strictly before it (gap M8)', async () => {
    const { t, auth } = await start();
    const s0 = T0 / 1000;
    await sendOk(t, auth, sms(N1, { text: 'at T0' })); // T0
    t.clock.advance(10_000);
    await sendOk(t, auth, sms(N1, { text: 'at T0+10s' })); // T0 + 10 s
    t.clock.advance(10_000);
    await sendOk(t, auth, sms(N1, { text: 'at T0+20s' }));
    const texts = async (ts?: number) => (await history(t, auth, N1, SMS_INBOX, ts)).map((m) => m.text);
    expect(await texts()).toEqual(['at T0+20s', 'at T0+10s', 'at T0']);
    expect(await texts(s0 + 30)).toEqual(['at T0+20s', 'at T0+10s', 'at T0']);
    expect(await texts(s0 + 11)).toEqual(['at T0+10s', 'at T0']);
    expect(await texts(s0 + 1)).toEqual(['at T0']);
    // Strictly earlier: the message sent at exactly T0 is not "before T0".
    expect(await texts(s0)).toEqual([]);
  });

  it('includes private notes as type "note"', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1, { text: 'hello' }));
    await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: conversationOf(t, a.id), private: true, text: 'internal' });
    expect((await history(t, auth, N1, SMS_INBOX)).map((m) => [m.type, m.text])).toEqual([['note', 'internal'], ['outbound', 'hello']]);
  });

  it("another team's messages are invisible: its inbox is unknown, the same number has no history here", async () => {
    const { t, auth } = await startTwo();
    await sendOk(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N1, text: 'team two secret' });
    expectApiError(await get(t, auth, { phoneNumber: N1, inboxID: '20' }), 400, 'bad_data', 'inboxID');
    expect(await history(t, auth, N1, SMS_INBOX)).toEqual([]);
    await sendOk(t, auth, sms(N1, { text: 'team one' }));
    expect((await history(t, auth, N1, SMS_INBOX)).map((m) => m.text)).toEqual(['team one']);
    expect((await history(t, AUTH2, N1, 20)).map((m) => m.text)).toEqual(['team two secret']);
    expectApiError(await get(t, AUTH2, { phoneNumber: N1, inboxID: '10' }), 400, 'bad_data', 'inboxID');
  });

  it('requires credentials', async () => {
    const { t } = await start();
    const res = await t.http.get('/v1/messages').query({ phoneNumber: N1, inboxID: '10' });
    expectApiError(res, 401, 'unauthorized');
  });
});
