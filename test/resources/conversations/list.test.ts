import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { expectEachOnce, pageByDate } from '../../support/paging.js';
import { conversationJson, emailConversation, expectRejected, groupConversation, manySms, smsConversation, start } from './support.js';

type Conv = { id: number; target: string; updated: string };
const ids = (body: Conv[]) => body.map((c) => c.id);

async function list(t: TestApp, auth: string, body?: unknown) {
  const req = t.http.post('/v1/conversations').set('Authorization', auth);
  const res = body === undefined ? await req : await req.send(body as object);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Conv[];
}

async function count(t: TestApp, auth: string, body?: unknown) {
  const req = t.http.post('/v1/conversations/count').set('Authorization', auth);
  const res = body === undefined ? await req : await req.send(body as object);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  return res.body as string;
}

/** A mixed set in team 1: open/closed, read/unread, assigned, in inboxes 10, 11 and 12. */
async function mixed(t: TestApp, auth: string) {
  const a = await smsConversation(t, auth, '14155561001', { name: 'Ann Lee' });
  const b = await smsConversation(t, auth, '14155561002', { status: 'closed' });
  const c = await smsConversation(t, auth, '14155561003', { read: false, assignedId: 2 });
  const d = await smsConversation(t, auth, '14155561004', { inboxId: 11, read: false, status: 'closed' });
  const e = emailConversation(t, ['jane@example.com'], { assignedId: 3 });
  const g = groupConversation(t, ['14155552002', '14155552001'], { read: false });
  return { a, b, c, d, e, g };
}

describe('POST /v1/conversations — filters form (doc-old)', () => {
  it('pages 35 conversations by the updated cursor: 30, 5, then an empty array', async () => {
    const { t, auth } = await start();
    const rows = await manySms(t, auth, 35);
    const newestFirst = [...rows].reverse();

    const first = await list(t, auth, { id: 1, filters: { inboxes: [10] } });
    expect(first).toHaveLength(30);
    expect(first[0]).toEqual(conversationJson(newestFirst[0]!));
    expect(ids(first)).toEqual(newestFirst.slice(0, 30).map((r) => r.id));

    const second = await list(t, auth, { id: 1, filters: { inboxes: [10] }, date: first[29]!.updated });
    expect(ids(second)).toEqual(newestFirst.slice(30).map((r) => r.id));
    const end = await list(t, auth, { id: 1, filters: { inboxes: [10] }, date: second[4]!.updated });
    expect(end).toEqual([]);
  });

  it('accepts a date with an offset, as the documented example', async () => {
    const { t, auth } = await start();
    await smsConversation(t, auth, '14155561001');
    expect(await list(t, auth, { date: '2022-01-01T00:00:00+00:00', id: 1, filters: { inboxes: [10], closed: false, unread: false } })).toEqual([]);
    expect(await list(t, auth, { date: '2099-01-01T00:00:00+02:00', id: 1, filters: { inboxes: [10], closed: false, unread: false } })).toHaveLength(1);
  });

  it('closed=false → open only, true → closed only, absent → both; unread=true → unread only', async () => {
    const { t, auth } = await start();
    const { a, b, c, d, e, g } = await mixed(t, auth);
    expect(ids(await list(t, auth, { id: 0, filters: {} }))).toEqual([g.id, e.id, d.id, c.id, b.id, a.id]);
    expect(ids(await list(t, auth, { id: 0, filters: { closed: false } }))).toEqual([g.id, e.id, c.id, a.id]);
    expect(ids(await list(t, auth, { id: 0, filters: { closed: true } }))).toEqual([d.id, b.id]);
    expect(ids(await list(t, auth, { id: 0, filters: { unread: true } }))).toEqual([g.id, d.id, c.id]);
    expect(ids(await list(t, auth, { id: 0, filters: { unread: false } }))).toEqual([g.id, e.id, d.id, c.id, b.id, a.id]);
    expect(ids(await list(t, auth, { id: 0, filters: { unread: true, closed: false } }))).toEqual([g.id, c.id]);
    expect(ids(await list(t, auth, { id: 0, filters: { inboxes: [11, 12] } }))).toEqual([e.id, d.id]);
    expect(ids(await list(t, auth, { id: 0, filters: { inboxes: [] } }))).toHaveLength(6);
  });

  it('scopes to the inboxes of member id (id 0 = every inbox)', async () => {
    const { t, auth } = await start();
    const { a, b, c, d, e, g } = await mixed(t, auth);
    // Member 1 is in 10, 11, 12; member 2 in 10, 11; member 3 in 12 only.
    expect(ids(await list(t, auth, { id: 1, filters: {} }))).toEqual([g.id, e.id, d.id, c.id, b.id, a.id]);
    expect(ids(await list(t, auth, { id: 2, filters: {} }))).toEqual([g.id, d.id, c.id, b.id, a.id]);
    expect(ids(await list(t, auth, { id: 3, filters: {} }))).toEqual([e.id]);
    expect(ids(await list(t, auth, { id: 2, filters: { inboxes: [11] } }))).toEqual([d.id]);
  });

  it('rejects a body without id, a foreign member, foreign inboxes and mixed forms', async () => {
    const { t, auth } = await start();
    await mixed(t, auth);
    const post = (body: object) => () => t.http.post('/v1/conversations').set('Authorization', auth).send(body);
    await expectRejected(t, post({ filters: {} }), 400, 'bad_data', 'id');
    await expectRejected(t, post({ id: -1, filters: {} }), 400, 'bad_data', 'id');
    await expectRejected(t, post({ id: 99, filters: {} }), 403, 'denied', 'id');
    await expectRejected(t, post({ id: 3, filters: { inboxes: [10] } }), 403, 'denied', 'id');
    await expectRejected(t, post({ id: 0, filters: { inboxes: [10, 99] } }), 400, 'bad_data', 'filters.inboxes[1]');
    await expectRejected(t, post({ id: 1, filters: { closed: 'no' } }), 400, 'bad_data', 'filters.closed');
    await expectRejected(t, post({ id: 1, filters: [] }), 400, 'bad_data', 'filters');
    await expectRejected(t, post({ id: 1, filters: {}, limit: 5 }), 400, 'bad_data', 'limit');
    await expectRejected(t, post({ id: 1, filters: {}, date: 'yesterday' }), 400, 'bad_data', 'date');
  });
});

describe('POST /v1/conversations — Pagination json (doc-new)', () => {
  it('lists everything newest first with no body or an empty body', async () => {
    const { t, auth } = await start();
    const { a, b, c, d, e, g } = await mixed(t, auth);
    const all = [g.id, e.id, d.id, c.id, b.id, a.id];
    expect(ids(await list(t, auth))).toEqual(all);
    expect(ids(await list(t, auth, {}))).toEqual(all);
    // id and parent_id are accepted and ignored in this form.
    expect(ids(await list(t, auth, { id: 3, parent_id: 7 }))).toEqual(all);
  });

  it('pages by limit/page (0-based) and by the date cursor, 30 by default', async () => {
    const { t, auth } = await start();
    const rows = await manySms(t, auth, 35);
    const newestFirst = [...rows].reverse().map((r) => r.id);
    const first = await list(t, auth, {});
    expect(ids(first)).toEqual(newestFirst.slice(0, 30));
    const second = await list(t, auth, { date: first[29]!.updated });
    expect(ids(second)).toEqual(newestFirst.slice(30));
    expect(await list(t, auth, { date: second[4]!.updated })).toEqual([]);

    expect(ids(await list(t, auth, { limit: 10, page: 1 }))).toEqual(newestFirst.slice(10, 20));
    expect(ids(await list(t, auth, { limit: 10, page: 3 }))).toEqual(newestFirst.slice(30, 35));
    expect(await list(t, auth, { limit: 10, page: 4 })).toEqual([]);
    expect(ids(await list(t, auth, { limit: 100 }))).toEqual(newestFirst);
  });

  it('pages conversations sharing a millisecond in whole runs, never skipping or repeating one', async () => {
    const { t, auth } = await start();
    // 33 conversations at T0, then 4 at T0+1 ms.
    const tied = await manySms(t, auth, 33, () => ({}), true);
    t.clock.advance(1);
    const later = [];
    for (let i = 0; i < 4; i++) later.push(await smsConversation(t, auth, `1415555${2000 + i}`));
    const all = [...tied, ...later].map((r) => r.id);
    for (const form of [{}, { id: 1, filters: { inboxes: [10] } }]) {
      const pages = await pageByDate(async (date) => list(t, auth, { ...form, ...(date ? { date } : {}) }), (c) => c.updated, { limit: 30 });
      // 4 at T0+1 and 26 of the T0 run, extended by its other 7.
      expect(pages.map((p) => p.length)).toEqual([37, 0]);
      expect(expectEachOnce(pages, all)).toEqual([...all].reverse());
    }
    // Ascending, by 10: 10 of the T0 run and its other 23; then the 4.
    const asc = await pageByDate(async (date) => list(t, auth, { ascending: true, limit: 10, ...(date ? { date } : {}) }), (c) => c.updated, { limit: 10, ascending: true });
    expect(asc.map((p) => p.length)).toEqual([33, 4, 0]);
    expect(expectEachOnce(asc, all)).toEqual(all);
    // page slices stay exact.
    expect(ids(await list(t, auth, { limit: 10, page: 1 }))).toEqual([...all].reverse().slice(10, 20));
  });

  it('ascending pages oldest first with the cursor meaning "after"; order created', async () => {
    const { t, auth } = await start();
    const rows = await manySms(t, auth, 5);
    const oldestFirst = rows.map((r) => r.id);
    const asc = await list(t, auth, { ascending: true, limit: 2 });
    expect(ids(asc)).toEqual(oldestFirst.slice(0, 2));
    expect(ids(await list(t, auth, { ascending: true, limit: 2, date: asc[1]!.updated }))).toEqual(oldestFirst.slice(2, 4));
    expect(ids(await list(t, auth, { order: 'created' }))).toEqual([...oldestFirst].reverse());

    // Closing the oldest (later) makes it the most recently updated, but not the most recently created.
    t.clock.advance(1);
    const closed = await t.http.post('/v1/conversations/close').set('Authorization', auth).send({ chat_id: rows[0]!.id, inbox_id: 10, user_id: 1 });
    expect(closed.status).toBe(200);
    expect(ids(await list(t, auth, {}))[0]).toBe(rows[0]!.id);
    expect(ids(await list(t, auth, { order: 'created' }))[0]).toBe(rows[4]!.id);
  });

  it('archived, assigned and filter select (gap G8)', async () => {
    const { t, auth } = await start();
    const { a, b, c, d, e, g } = await mixed(t, auth);
    expect(ids(await list(t, auth, { archived: true }))).toEqual([d.id, b.id]);
    expect(ids(await list(t, auth, { archived: false }))).toEqual([g.id, e.id, c.id, a.id]);
    expect(ids(await list(t, auth, { assigned: 2 }))).toEqual([c.id]);
    expect(ids(await list(t, auth, { assigned: 3 }))).toEqual([e.id]);
    expect(ids(await list(t, auth, { filter: 'ann lee' }))).toEqual([a.id]);
    expect(ids(await list(t, auth, { filter: '5556100' }))).toEqual([d.id, c.id, b.id, a.id]);
    expect(ids(await list(t, auth, { filter: '14155552001' }))).toEqual([g.id]);
    expect(ids(await list(t, auth, { filter: 'JANE@' }))).toEqual([e.id]);
    expect(await list(t, auth, { filter: '%' })).toEqual([]);
  });

  it('rejects out-of-range paging values', async () => {
    const { t, auth } = await start();
    await mixed(t, auth);
    const post = (body: object) => () => t.http.post('/v1/conversations').set('Authorization', auth).send(body);
    await expectRejected(t, post({ limit: 0 }), 400, 'bad_data', 'limit');
    await expectRejected(t, post({ limit: 1.5 }), 400, 'bad_data', 'limit');
    await expectRejected(t, post({ page: -1 }), 400, 'bad_data', 'page');
    await expectRejected(t, post({ order: 'name' }), 400, 'bad_data', 'order');
    await expectRejected(t, post({ archived: 'yes' }), 400, 'bad_data', 'archived');
  });
});

describe('POST /v1/conversations/count (gap V5)', () => {
  it('answers a JSON string count for either body form', async () => {
    const { t, auth } = await start();
    expect(await count(t, auth)).toBe('0');
    const rows = await manySms(t, auth, 35);
    await mixed(t, auth);
    expect(await count(t, auth)).toBe('41');
    expect(await count(t, auth, {})).toBe('41');
    // Paging does not limit a count; the cursor does.
    expect(await count(t, auth, { limit: 5, page: 3 })).toBe('41');
    expect(await count(t, auth, { date: new Date(rows[3]!.updated).toISOString() })).toBe('3');
    expect(await count(t, auth, { archived: true })).toBe('2');
    expect(await count(t, auth, { id: 3, filters: {} })).toBe('1');
    expect(await count(t, auth, { id: 0, filters: { unread: true } })).toBe('3');
    expect(await count(t, auth, { id: 2, filters: { inboxes: [10], closed: false } })).toBe('38');
  });

  it('rejects what the list rejects', async () => {
    const { t, auth } = await start();
    await mixed(t, auth);
    const post = (body: object) => () => t.http.post('/v1/conversations/count').set('Authorization', auth).send(body);
    await expectRejected(t, post({ filters: {} }), 400, 'bad_data', 'id');
    await expectRejected(t, post({ id: 3, filters: { inboxes: [11] } }), 403, 'denied', 'id');
    await expectRejected(t, post({ date: '2026-01-01' }), 400, 'bad_data', 'date');
  });
});
