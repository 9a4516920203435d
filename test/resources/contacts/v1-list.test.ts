import { describe, expect, it } from 'vitest';
import { T0, type TestApp } from '../../support/app.js';
import { expectEachOnce, pageByDate } from '../../support/paging.js';
import { at, contactObject, createContact, createField, createTag, expectRejected, rawPost, start } from './support.js';

// POST /v1/contacts (date cursor + generic "Pagination json") and POST /v1/contacts/count (gap C4).

type Listed = { first: string; updated: string };
const names = (body: Listed[]) => body.map((c) => c.first);
const range = (from: number, to: number) => {
  const out: string[] = [];
  for (let i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1) out.push(`c${i}`);
  return out;
};

/** Contacts c0..c(n-1), created one by one with the clock moved 1 ms between them: ci has updated = at(i). */
async function seedContacts(t: TestApp, auth: string, n: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) t.clock.advance(1);
    ids.push((await createContact(t, auth, { phone: `1415555${2000 + i}`, first: `c${i}`, ...extra(i) })).id);
  }
  return ids;
}

/**
 * Runs of contacts that share a millisecond: run k is one batch of sizes[k] contacts written at
 * T0 + k ms. Answers the ids of each run, oldest run first.
 */
async function seedRuns(t: TestApp, auth: string, sizes: number[]) {
  const runs: number[][] = [];
  let next = 0;
  for (const [k, size] of sizes.entries()) {
    if (k > 0) t.clock.advance(1);
    const items = Array.from({ length: size }, (_, i) => ({ phone: `1415555${3000 + next + i}`, first: `r${k}.${i}` }));
    next += size;
    const res = await t.http.post('/v1/batch/contacts').set('Authorization', auth).send(items);
    expect(res.body).toBe('ok');
    runs.push(t.sql<{ id: number }>('SELECT id FROM contacts WHERE updated = ? ORDER BY id', T0 + k).map((r) => r.id));
    expect(runs[k]).toHaveLength(size);
  }
  return runs;
}

describe('POST /v1/contacts', () => {
  it('pages 65 contacts by the updated-before cursor, most recent first: 30, 30, 5, then []', async () => {
    const { t, auth } = await start();
    const ids = await seedContacts(t, auth, 65);
    const list = (body?: object) => t.http.post('/v1/contacts').set('Authorization', auth).send(body);

    const p1 = await list();
    expect(p1.status).toBe(200);
    expect(names(p1.body)).toEqual(range(64, 35));
    expect(p1.body[0]).toEqual(
      contactObject({ id: ids[64], uuid: expect.any(String), phone: '14155552064', first: 'c64', display_name: 'c64', created: at(64), updated: at(64) }),
    );
    const uuid = (await t.http.get(`/v1/contact/${ids[64]}`).set('Authorization', auth)).body.uuid;
    expect(p1.body[0].uuid).toBe(uuid);

    const p2 = await list({ date: p1.body[29].updated });
    expect(p2.status).toBe(200);
    expect(names(p2.body)).toEqual(range(34, 5));
    const p3 = await list({ date: p2.body[29].updated });
    expect(names(p3.body)).toEqual(range(4, 0));
    const p4 = await list({ date: p3.body[4].updated });
    expect(p4.status).toBe(200);
    expect(p4.body).toEqual([]);
  });

  it('accepts the guide cursor format and an explicit offset; a cursor before every contact gives []', async () => {
    const { t, auth } = await start();
    await seedContacts(t, auth, 3);
    const list = (date: string) => t.http.post('/v1/contacts').set('Authorization', auth).send({ date });
    expect(names((await list('2026-04-12T15:30:00Z')).body)).toEqual(['c2', 'c1', 'c0']);
    // at(2) is c2's own time: the cursor is exclusive.
    expect(names((await list(at(2))).body)).toEqual(['c1', 'c0']);
    expect(names((await list('2026-01-15T12:00:00.002+00:00')).body)).toEqual(['c1', 'c0']);
    expect(names((await list('2026-01-15T13:00:00.002+01:00')).body)).toEqual(['c1', 'c0']);
    expect((await list('2026-01-15T11:59:59Z')).body).toEqual([]);
  });

  describe('contacts sharing a millisecond (true write times)', () => {
    type Row = { id: number; updated: string; created: string };
    const list = (t: TestApp, auth: string, body: object) => async (date: string | undefined) =>
      (await t.http.post('/v1/contacts').set('Authorization', auth).send({ ...body, ...(date ? { date } : {}) }).expect(200)).body as Row[];

    it('answers a whole run past the page size: 65 contacts written at T0 come in one page, then []', async () => {
      const { t, auth } = await start();
      const [run] = await seedRuns(t, auth, [65]);
      const pages = await pageByDate(list(t, auth, {}), (c) => c.updated, { limit: 30 });
      expect(pages.map((p) => p.length)).toEqual([65, 0]);
      expect(pages[0]!.map((c) => c.id)).toEqual([...run!].reverse());
      expect(pages[0]!.every((c) => c.updated === at())).toBe(true);
      // An offset page (page given) is an exact slice of the (updated, id) order, never extended.
      const sliced = async (body: object) => ((await t.http.post('/v1/contacts').set('Authorization', auth).send(body).expect(200)).body as Row[]).map((c) => c.id);
      expect(await sliced({ limit: 10, page: 0 })).toEqual([...run!].reverse().slice(0, 10));
      expect(await sliced({ limit: 10, page: 1 })).toEqual([...run!].reverse().slice(10, 20));
      expect(await sliced({ limit: 10, page: 6 })).toEqual([...run!].reverse().slice(60));
    });

    it('paging by the last contact\'s date never skips or repeats one; a page goes past limit only by its tied run', async () => {
      const { t, auth } = await start();
      // Runs of 5, 12, 1, 30, 3 and 9 contacts at T0 .. T0+5 ms.
      const runs = await seedRuns(t, auth, [5, 12, 1, 30, 3, 9]);
      const all = runs.flat();

      const desc = await pageByDate(list(t, auth, { limit: 10 }), (c) => c.updated, { limit: 10 });
      // 9 + 1 of the 3-run, extended by its other 2; 10 of the 30-run, extended by 20; 1 + 9 of the 12-run, + 3; the 5-run.
      expect(desc.map((p) => p.length)).toEqual([12, 30, 13, 5, 0]);
      expect(expectEachOnce(desc, all)).toEqual([...all].reverse());

      const asc = await pageByDate(list(t, auth, { limit: 10, ascending: true }), (c) => c.updated, { limit: 10, ascending: true });
      // 5 + 5 of the 12-run, + 7; 1 + 9 of the 30-run, + 21; 3 + 7 of the 9-run, + 2; then nothing.
      expect(asc.map((p) => p.length)).toEqual([17, 31, 12, 0]);
      expect(expectEachOnce(asc, all)).toEqual(all);

      // By creation time (order: created) the runs are the same.
      const byCreated = await pageByDate(list(t, auth, { limit: 10, order: 'created' }), (c) => c.created, { limit: 10 });
      expect(byCreated.map((p) => p.length)).toEqual([12, 30, 13, 5, 0]);
      expectEachOnce(byCreated, all);
    });

    it('an update moves a contact out of its run: the run pages without it, the contact pages once, at its new time', async () => {
      const { t, auth } = await start();
      const [run] = await seedRuns(t, auth, [40]);
      t.clock.advance(1);
      await t.http.put(`/v1/contact/${run![7]}`).set('Authorization', auth).send({ phone: '14155553007', last: 'moved' }).expect(200);
      const pages = await pageByDate(list(t, auth, { limit: 30 }), (c) => c.updated, { limit: 30 });
      expect(pages.map((p) => p.length)).toEqual([40, 0]);
      expect(pages[0]![0]).toMatchObject({ id: run![7], updated: at(1) });
      expectEachOnce(pages, run!);
    });
  });

  it('shows each listed contact with its own tags (in order) and custom values', async () => {
    const { t, auth } = await start();
    const field = String(await createField(t, auth, 'Plan'));
    const [a, b] = [await createTag(t, auth, 'a'), await createTag(t, auth, 'b')];
    await createContact(t, auth, { phone: '14155552000', first: 'c0', tags: [{ tag_id: b }, { tag_id: a }], custom: { [field]: 'Gold' } });
    await createContact(t, auth, { phone: '14155552001', first: 'c1' });
    await createContact(t, auth, { phone: '14155552002', first: 'c2', tags: [{ tag_id: a }] });
    const res = await t.http.post('/v1/contacts').set('Authorization', auth).send({});
    expect(res.body.map((c: { first: string; tags: Array<{ tag: string }>; custom: object }) => [c.first, c.tags.map((x) => x.tag), c.custom])).toEqual([
      ['c2', ['a'], {}],
      ['c1', [], {}],
      ['c0', ['b', 'a'], { [field]: 'Gold' }],
    ]);
  });

  it('moves an updated contact to the front', async () => {
    const { t, auth } = await start();
    const ids = await seedContacts(t, auth, 3);
    t.clock.advance(1);
    await t.http.put(`/v1/contact/${ids[0]}`).set('Authorization', auth).send({ phone: '14155552000', last: 'x' }).expect(200);
    const res = await t.http.post('/v1/contacts').set('Authorization', auth).send({});
    expect(names(res.body)).toEqual(['c0', 'c2', 'c1']);
    expect(res.body[0].updated).toBe(at(3));
    // order: "created" sorts by creation time instead.
    const byCreated = await t.http.post('/v1/contacts').set('Authorization', auth).send({ order: 'created' });
    expect(names(byCreated.body)).toEqual(['c2', 'c1', 'c0']);
  });

  it('pages oldest first with ascending: true, the cursor then meaning "updated after"', async () => {
    const { t, auth } = await start();
    await seedContacts(t, auth, 65);
    const list = (body: object) => t.http.post('/v1/contacts').set('Authorization', auth).send({ ascending: true, ...body });
    const p1 = await list({});
    expect(names(p1.body)).toEqual(range(0, 29));
    const p2 = await list({ date: p1.body[29].updated });
    expect(names(p2.body)).toEqual(range(30, 59));
    const p3 = await list({ date: p2.body[29].updated });
    expect(names(p3.body)).toEqual(range(60, 64));
    expect((await list({ date: p3.body[4].updated })).body).toEqual([]);
  });

  it('honours limit, and page (0-based, in units of limit)', async () => {
    const { t, auth } = await start();
    await seedContacts(t, auth, 65);
    const list = (body: object) => t.http.post('/v1/contacts').set('Authorization', auth).send(body);
    expect(names((await list({ limit: 10 })).body)).toEqual(range(64, 55));
    expect(names((await list({ limit: 1 })).body)).toEqual(['c64']);
    expect((await list({ limit: 100 })).body).toHaveLength(65);
    expect(names((await list({ limit: 10, page: 0 })).body)).toEqual(range(64, 55));
    expect(names((await list({ limit: 10, page: 1 })).body)).toEqual(range(54, 45));
    expect(names((await list({ limit: 10, page: 6 })).body)).toEqual(range(4, 0));
    expect((await list({ limit: 10, page: 7 })).body).toEqual([]);
    expect(names((await list({ page: 2 })).body)).toEqual(range(4, 0));
    // page combines with the cursor and the direction.
    expect(names((await list({ limit: 5, page: 1, date: at(50) })).body)).toEqual(range(44, 40));
    expect(names((await list({ limit: 5, page: 1, ascending: true })).body)).toEqual(range(5, 9));
  });

  it('filters by a case-insensitive substring of the name, phone or email', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: '14155552000', first: 'Alice', last: 'Walker', email: 'aw@example.com' });
    await createContact(t, auth, { phone: '14155552001', first: 'Bob', last: 'Stone', email: 'bob@other.org' });
    await createContact(t, auth, { phone: '14155559999', first: 'Carl', display_name: 'Big Carl', email: 'c_l@example.com' });
    const list = async (filter: string) => names((await t.http.post('/v1/contacts').set('Authorization', auth).send({ filter })).body);
    expect(await list('alice')).toEqual(['Alice']);
    expect(await list('STONE')).toEqual(['Bob']);
    expect(await list('big')).toEqual(['Carl']);
    expect(await list('9999')).toEqual(['Carl']);
    expect(await list('example.com')).toEqual(['Carl', 'Alice']);
    expect(await list('1415555200')).toEqual(['Bob', 'Alice']);
    expect(await list('nobody')).toEqual([]);
    // LIKE wildcards in the filter are literal characters.
    expect(await list('%')).toEqual([]);
    expect(await list('c_l')).toEqual(['Carl']);
    expect(await list('a_')).toEqual([]);
  });

  it('lists only the contacts assigned to a member with assigned', async () => {
    const { t, auth } = await start();
    await seedContacts(t, auth, 6, (i) => (i % 3 === 0 ? { assignee_id: 2 } : i % 3 === 1 ? { assignee_id: 3 } : {}));
    const list = async (assigned: number) => names((await t.http.post('/v1/contacts').set('Authorization', auth).send({ assigned })).body);
    expect(await list(2)).toEqual(['c3', 'c0']);
    expect(await list(3)).toEqual(['c4', 'c1']);
    expect(await list(1)).toEqual([]);
  });

  it('accepts a request without a body, without Content-Type, with an empty JSON body, or with JSON sent as text/plain', async () => {
    const { t, auth } = await start();
    await seedContacts(t, auth, 2);
    const none = await t.http.post('/v1/contacts').set('Authorization', auth);
    expect(none.status).toBe(200);
    expect(names(none.body)).toEqual(['c1', 'c0']);

    const raw = await rawPost(t, '/v1/contacts', auth);
    expect(raw.status, raw.text).toBe(200);
    expect(names(JSON.parse(raw.text))).toEqual(['c1', 'c0']);

    const rawBody = await rawPost(t, '/v1/contacts', auth, '{"limit":1}');
    expect(rawBody.status, rawBody.text).toBe(200);
    expect(names(JSON.parse(rawBody.text))).toEqual(['c1']);

    const emptyJson = await t.http.post('/v1/contacts').set('Authorization', auth).set('Content-Type', 'application/json').send('');
    expect(emptyJson.status, emptyJson.text).toBe(200);
    expect(names(emptyJson.body)).toEqual(['c1', 'c0']);

    const plain = await t.http.post('/v1/contacts').set('Authorization', auth).set('Content-Type', 'text/plain').send('{"limit":1}');
    expect(plain.status, plain.text).toBe(200);
    expect(names(JSON.parse(plain.text))).toEqual(['c1']);
  });

  describe('rejects a bad Pagination json with 400 naming the field', () => {
    const cases: Array<[string, unknown, string | null]> = [
      ['date not RFC 3339', { date: '2026-04-12' }, 'date'],
      ['date without a zone', { date: '2026-04-12T15:30:00' }, 'date'],
      ['date a number', { date: 1767000000000 }, 'date'],
      ['limit 0', { limit: 0 }, 'limit'],
      ['limit a fraction', { limit: 2.5 }, 'limit'],
      ['limit a string', { limit: '10' }, 'limit'],
      ['page negative', { page: -1 }, 'page'],
      ['page fractional', { page: 1.5 }, 'page'],
      ['ascending a string', { ascending: 'true' }, 'ascending'],
      ['assigned 0', { assigned: 0 }, 'assigned'],
      ['filter a number', { filter: 5 }, 'filter'],
      ['order unknown', { order: 'name' }, 'order'],
      ['body a non-empty array', [{}], null],
    ];
    it.each(cases)('%s', async (_name, body, field) => {
      const { t, auth } = await start();
      await seedContacts(t, auth, 1);
      await expectRejected(t, () => t.http.post('/v1/contacts').set('Authorization', auth).send(body as object), 400, 'bad_data', field);
      await expectRejected(t, () => t.http.post('/v1/contacts/count').set('Authorization', auth).send(body as object), 400, 'bad_data', field);
    });
  });
});

describe('POST /v1/contacts/count', () => {
  it('answers the count as a JSON string, with the same optional body as the list', async () => {
    const { t, auth } = await start();
    await seedContacts(t, auth, 65, (i) => (i < 4 ? { assignee_id: 2, last: 'Special' } : {}));
    const count = (body?: object) => t.http.post('/v1/contacts/count').set('Authorization', auth).send(body);

    const all = await count();
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toMatch(/application\/json/);
    expect(all.text).toBe('"65"');
    expect(all.body).toBe('65');

    expect((await count({})).body).toBe('65');
    expect((await count({ date: at(10) })).body).toBe('10');
    expect((await count({ date: at(10), ascending: true })).body).toBe('54');
    expect((await count({ date: '2026-01-15T11:00:00Z' })).body).toBe('0');
    expect((await count({ assigned: 2 })).body).toBe('4');
    expect((await count({ filter: 'special' })).body).toBe('4');
    // limit/page shape a page of the list, not the total.
    expect((await count({ limit: 10 })).body).toBe('65');

    const raw = await rawPost(t, '/v1/contacts/count', auth);
    expect(raw.status).toBe(200);
    expect(raw.text).toBe('"65"');
  });

  it('answers "0" for a team without contacts, and follows deletes', async () => {
    const { t, auth } = await start();
    expect((await t.http.post('/v1/contacts/count').set('Authorization', auth)).text).toBe('"0"');
    const c = await createContact(t, auth, { phone: '14155551234' });
    await createContact(t, auth, { phone: '14155559876' });
    expect((await t.http.post('/v1/contacts/count').set('Authorization', auth)).text).toBe('"2"');
    await t.http.delete(`/v1/contact/${c.id}`).set('Authorization', auth).expect(200);
    expect((await t.http.post('/v1/contacts/count').set('Authorization', auth)).text).toBe('"1"');
  });
});
