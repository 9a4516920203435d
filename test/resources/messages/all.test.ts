import { describe, expect, it } from 'vitest';
import { expectApiError, type TestApp } from '../../support/app.js';
import { expectEachOnce, pageByDate } from '../../support/paging.js';
import {
  AUTH2, conversationOf, createList, getConversation, iso, N1, N2, num, sendEmailOk, email, sendOk, sms, SMS_INBOX, start, startTwo, T0,
} from './support.js';

const all = (t: TestApp, auth: string, body?: Record<string, unknown>) => {
  const req = t.http.post('/v1/messages/all').set('Authorization', auth);
  return body === undefined ? req : req.send(body);
};
const countOf = (t: TestApp, auth: string, body?: Record<string, unknown>) => {
  const req = t.http.post('/v1/messages/all/count').set('Authorization', auth);
  return body === undefined ? req : req.send(body);
};

/** n SMS sends to up to 40 numbers, the clock moved 1 ms between them (each its own time); answers their ids, oldest first. */
async function sendMany(t: TestApp, auth: string, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) t.clock.advance(1);
    ids.push((await sendOk(t, auth, sms(num(i % 40), { text: `m${i}` }))).id);
  }
  return ids;
}

/** One broadcast per run, each to its own numbers: run k's messages all share T0 + k ms. Answers the ids of each run. */
async function broadcastRuns(t: TestApp, auth: string, sizes: number[]): Promise<number[][]> {
  const runs: number[][] = [];
  let next = 0;
  for (const [k, size] of sizes.entries()) {
    if (k > 0) t.clock.advance(1);
    const list = await createList(t, auth, { phones: Array.from({ length: size }, (_, i) => num(next + i)) });
    next += size;
    await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, list_id: list, local_id: `run-${k}`, text: `run ${k}` });
    runs.push(t.sql<{ id: number }>('SELECT id FROM messages WHERE created = ? ORDER BY id', T0 + k).map((r) => r.id));
    expect(runs[k]).toHaveLength(size);
  }
  return runs;
}

describe('POST /v1/messages/all', () => {
  it('an empty body (or none at all) → the most recent messages first, 30 per page', async () => {
    const { t, auth } = await start();
    const ids = await sendMany(t, auth, 35);
    for (const res of [await all(t, auth), await all(t, auth, {})]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.map((m: { id: number }) => m.id)).toEqual(ids.slice(5).reverse());
    }
  });

  it('pages 65 messages by the created_at cursor: 30, 30, 5, then []', async () => {
    const { t, auth } = await start();
    const ids = await sendMany(t, auth, 65);
    const seen: number[] = [];
    const sizes: number[] = [];
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) {
      const res = await all(t, auth, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      sizes.push(res.body.length);
      if (!res.body.length) break;
      seen.push(...res.body.map((m: { id: number }) => m.id));
      body = { created_at: res.body.at(-1).date };
    }
    expect(sizes).toEqual([30, 30, 5, 0]);
    expect(seen).toEqual([...ids].reverse());
  });

  it('`date` works as the cursor too (Pagination json)', async () => {
    const { t, auth } = await start();
    const ids = await sendMany(t, auth, 35);
    const first = await all(t, auth, {});
    const next = await all(t, auth, { date: first.body.at(-1).date });
    expect(next.body.map((m: { id: number }) => m.id)).toEqual(ids.slice(0, 5).reverse());
  });

  it('the cursor is exclusive and exact to the millisecond', async () => {
    const { t, auth } = await start();
    const ids = await sendMany(t, auth, 3);
    const dates = (await all(t, auth, {})).body.map((m: { date: string }) => m.date);
    expect(dates).toHaveLength(3);
    const before = await all(t, auth, { created_at: dates[0] });
    expect(before.body.map((m: { id: number }) => m.id)).toEqual([ids[1], ids[0]]);
    const offset = await all(t, auth, { created_at: dates[0].replace('Z', '+00:00') });
    expect(offset.body.map((m: { id: number }) => m.id)).toEqual([ids[1], ids[0]]);
  });

  it('ascending: true → oldest first; with a cursor, the messages after it', async () => {
    const { t, auth } = await start();
    const ids = await sendMany(t, auth, 35);
    const asc = await all(t, auth, { ascending: true });
    expect(asc.body.map((m: { id: number }) => m.id)).toEqual(ids.slice(0, 30));
    const rest = await all(t, auth, { ascending: true, created_at: asc.body.at(-1).date });
    expect(rest.body.map((m: { id: number }) => m.id)).toEqual(ids.slice(30));
  });

  it('limit sets the page size; order created_at or updated_at', async () => {
    const { t, auth } = await start();
    const ids = await sendMany(t, auth, 8);
    expect((await all(t, auth, { limit: 5 })).body.map((m: { id: number }) => m.id)).toEqual(ids.slice(3).reverse());
    expect((await all(t, auth, { order: 'created_at', limit: 2 })).body.map((m: { id: number }) => m.id)).toEqual([ids[7], ids[6]]);
    expect((await all(t, auth, { order: 'updated_at', limit: 2 })).body.map((m: { id: number }) => m.id)).toEqual([ids[7], ids[6]]);
    // The 3p call shape.
    const third = await all(t, auth, { created_at: iso(T0 + 60_000), order: 'created_at', ascending: true, limit: 50 });
    expect(third.body).toEqual([]);
    const third2 = await all(t, auth, { created_at: iso(T0 - 1), order: 'created_at', ascending: true, limit: 50 });
    expect(third2.body.map((m: { id: number }) => m.id)).toEqual(ids);
  });

  it('rejects a bad order, limit or cursor naming the field', async () => {
    const { t, auth } = await start();
    expectApiError(await all(t, auth, { order: 'id' }), 400, 'bad_data', 'order');
    expectApiError(await all(t, auth, { limit: 0 }), 400, 'bad_data', 'limit');
    expectApiError(await all(t, auth, { limit: 'ten' }), 400, 'bad_data', 'limit');
    expectApiError(await all(t, auth, { created_at: 'yesterday' }), 400, 'bad_data', 'created_at');
    expectApiError(await all(t, auth, { created_at: 1768478400 }), 400, 'bad_data', 'created_at');
    expectApiError(await all(t, auth, { ascending: 'yes' }), 400, 'bad_data', 'ascending');
  });

  it('answers full Message objects: SMS, group MMS, notes and email alike, each with its conversation', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1, { text: 'sms' }));
    const n = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: conversationOf(t, a.id), private: true, text: 'note' });
    const g = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, targets: [N1, N2], text: 'group' });
    const e = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'], text: '<p>mail</p>' }));
    const res = await all(t, auth, {});
    expect(res.body.map((m: { id: number; type: string; text: string }) => [m.id, m.type, m.text])).toEqual([
      [e.id, 'outbound', '<p>mail</p>'],
      [g.id, 'outbound', 'group'],
      [n.id, 'note', 'note'],
      [a.id, 'outbound', 'sms'],
    ]);
    const smsConv = await getConversation(t, auth, conversationOf(t, a.id));
    expect(res.body[3]).toEqual({
      id: a.id, author: '', broadcast_id: 0, conversation: smsConv, custom: { data: [], type: '' }, date: a.date, flagged: false,
      link_url: '', local_id: '', media: '', phone: N1, status: 'sent', super: 0, support: false, target: N1, text: 'sms',
      type: 'outbound', updated: a.date, user: 1,
    });
    expect(res.body[0].conversation).toEqual(await getConversation(t, auth, e.convo_id));
    expect(res.body[1].conversation).toEqual(await getConversation(t, auth, conversationOf(t, g.id)));
  });

  it('pages through a broadcast bigger than a page without losing or repeating a message', async () => {
    const { t, auth } = await start();
    const phones = Array.from({ length: 35 }, (_, i) => num(i));
    const list = await createList(t, auth, { phones });
    await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, list_id: list, local_id: 'big', text: 'sale' });
    const seen: number[] = [];
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) {
      const res = await all(t, auth, body);
      if (!res.body.length) break;
      seen.push(...res.body.map((m: { id: number }) => m.id));
      body = { created_at: res.body.at(-1).date };
    }
    expect(seen).toHaveLength(35);
    expect(new Set(seen).size).toBe(35);
  });

  it('pages messages sharing a millisecond in whole runs: paging by the last date never skips or repeats one', async () => {
    const { t, auth } = await start();
    // Broadcasts of 5, 12, 1, 30, 3 and 9 messages at T0 .. T0+5 ms.
    const runs = await broadcastRuns(t, auth, [5, 12, 1, 30, 3, 9]);
    const ids = runs.flat();
    type Msg = { id: number; date: string; updated: string };
    const page = (body: Record<string, unknown>) => async (cursor: string | undefined) => {
      const res = await all(t, auth, { ...body, ...(cursor ? { created_at: cursor } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as Msg[];
    };

    const desc = await pageByDate(page({ limit: 10 }), (m) => m.date, { limit: 10 });
    // 9 + 1 of the 3-run and its other 2; 10 of the 30-run and its other 20; 1 + 9 of the 12-run and its other 3; the 5-run.
    expect(desc.map((p) => p.length)).toEqual([12, 30, 13, 5, 0]);
    expect(expectEachOnce(desc, ids)).toEqual([...ids].reverse());

    const asc = await pageByDate(page({ limit: 10, ascending: true }), (m) => m.date, { limit: 10, ascending: true });
    expect(asc.map((p) => p.length)).toEqual([17, 31, 12, 0]);
    expect(expectEachOnce(asc, ids)).toEqual(ids);

    // By updated_at (the same runs: nothing was updated since).
    const byUpdated = await pageByDate(page({ limit: 10, order: 'updated_at' }), (m) => m.updated, { limit: 10 });
    expect(byUpdated.map((p) => p.length)).toEqual([12, 30, 13, 5, 0]);
    expectEachOnce(byUpdated, ids);

    // The default page of 30 takes 9 + 3 + 18 of the 30-run, and the rest of that run.
    const byDefault = await pageByDate(page({}), (m) => m.date, { limit: 30 });
    expect(byDefault.map((p) => p.length)).toEqual([42, 18, 0]);
    expectEachOnce(byDefault, ids);
  });

  it('an offset page (page given) is an exact slice, even inside a run', async () => {
    const { t, auth } = await start();
    const [run] = await broadcastRuns(t, auth, [35]);
    const newest = [...run!].reverse();
    const ids = async (body: Record<string, unknown>) => ((await all(t, auth, body)).body as Array<{ id: number }>).map((m) => m.id);
    expect(await ids({})).toEqual(newest);
    expect(await ids({ limit: 10, page: 0 })).toEqual(newest.slice(0, 10));
    expect(await ids({ limit: 10, page: 1 })).toEqual(newest.slice(10, 20));
    expect(await ids({ limit: 10, page: 3 })).toEqual(newest.slice(30));
  });

  it("never shows another team's messages", async () => {
    const { t, auth } = await startTwo();
    await sendOk(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N1, text: 'team two' });
    const one = await sendOk(t, auth, sms(N1, { text: 'team one' }));
    expect((await all(t, auth, {})).body.map((m: { id: number }) => m.id)).toEqual([one.id]);
    expect((await all(t, auth, { ascending: true, limit: 100 })).body.map((m: { text: string }) => m.text)).toEqual(['team one']);
    expect((await all(t, AUTH2, {})).body.map((m: { text: string }) => m.text)).toEqual(['team two']);
    expect((await countOf(t, auth, {})).body).toBe('1');
    expect((await countOf(t, AUTH2, {})).body).toBe('1');
  });
});

describe('POST /v1/messages/all/count', () => {
  it('answers the count as a JSON string (gap M10), with or without a body', async () => {
    const { t, auth } = await start();
    const zero = await countOf(t, auth);
    expect(zero.status).toBe(200);
    expect(zero.headers['content-type']).toMatch(/application\/json/);
    expect(zero.text).toBe('"0"');
    await sendMany(t, auth, 3);
    const res = await countOf(t, auth, {});
    expect(res.text).toBe('"3"');
    expect(res.body).toBe('3');
    // Notes count too: they are messages of the team.
    const first = t.sql<{ conversation_id: number }>('SELECT conversation_id FROM messages ORDER BY id LIMIT 1')[0]!;
    await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: first.conversation_id, private: true, text: 'n' });
    expect((await countOf(t, auth)).body).toBe('4');
  });

  it('counts every message of a broadcast', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [num(1), num(2), num(3)] });
    await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, list_id: list, local_id: 'c', text: 'x' });
    expect((await countOf(t, auth, {})).body).toBe('3');
  });

  it('date (or created_at) counts only messages created before it', async () => {
    const { t, auth } = await start();
    await sendMany(t, auth, 2);
    t.clock.advance(60_000);
    const cut = iso(t.clock.now());
    await sendMany(t, auth, 3);
    expect((await countOf(t, auth, { date: cut })).body).toBe('2');
    expect((await countOf(t, auth, { created_at: cut })).body).toBe('2');
    expect((await countOf(t, auth, { date: iso(T0) })).body).toBe('0');
    expect((await countOf(t, auth, {})).body).toBe('5');
  });

  it('rejects a malformed date naming it', async () => {
    const { t, auth } = await start();
    expectApiError(await countOf(t, auth, { date: 'last week' }), 400, 'bad_data', 'date');
  });
});
