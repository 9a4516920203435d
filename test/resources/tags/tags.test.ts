import { describe, expect, it } from 'vitest';
import { expectApiError, expectRejected, startApp, T0 } from '../../support/app.js';
import { expectEachOnce, pageByDate } from '../../support/paging.js';

describe('tags', () => {
  it('creates, fetches, lists and deletes a tag', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const created = await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'VIP', color: '#FFD700' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.any(Number), rev: 1, uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const got = await t.http.get(`/v1/tag/${created.body.id}`).set('Authorization', auth);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: created.body.id, tag: 'VIP', color: '#FFD700', team_id: 1,
      created: new Date(T0).toISOString(), updated: new Date(T0).toISOString(), rev: 1,
    });

    const list = await t.http.post('/v1/tags').set('Authorization', auth);
    expect(list.status).toBe(200);
    expect(list.body.map((x: { tag: string }) => x.tag)).toEqual(['VIP']);

    const del = await t.http.delete(`/v1/tag/${created.body.id}`).set('Authorization', auth);
    expect(del.status).toBe(200);
    expect(del.body).toBe('ok');
    expect(del.headers['content-type']).toMatch(/application\/json/);
    expect(t.sql('SELECT * FROM tags')).toEqual([]);
    expectApiError(await t.http.get(`/v1/tag/${created.body.id}`).set('Authorization', auth), 404, 'not_found');
  });

  it('pages tags by the updated-before cursor, most recent first', async () => {
    const t = await startApp();
    const auth = await t.auth();
    // The clock moves 1 ms between tags, so each has its own time.
    for (let i = 0; i < 35; i++) {
      if (i > 0) t.clock.advance(1);
      await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: `t${i}` });
    }
    const first = await t.http.post('/v1/tags').set('Authorization', auth).send({});
    expect(first.body).toHaveLength(30);
    expect(first.body[0].tag).toBe('t34');
    const next = await t.http.post('/v1/tags').set('Authorization', auth).send({ date: first.body[29].updated });
    expect(next.body.map((x: { tag: string }) => x.tag)).toEqual(['t4', 't3', 't2', 't1', 't0']);
    const end = await t.http.post('/v1/tags').set('Authorization', auth).send({ date: next.body[4].updated });
    expect(end.body).toEqual([]);
  });

  it('pages tags sharing a millisecond in whole runs: paging by the last date never skips or repeats a tag', async () => {
    const t = await startApp();
    const auth = await t.auth();
    // Runs of 5, 12, 1, 30, 3 and 9 tags; the clock moves 1 ms between runs only.
    const ids: number[] = [];
    for (const [k, size] of [5, 12, 1, 30, 3, 9].entries()) {
      if (k > 0) t.clock.advance(1);
      for (let i = 0; i < size; i++) ids.push((await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: `r${k}.${i}` }).expect(200)).body.id);
    }
    type Tag = { id: number; updated: string };
    const list = (body: object) => async (date: string | undefined) => (await t.http.post('/v1/tags').set('Authorization', auth).send({ ...body, ...(date ? { date } : {}) }).expect(200)).body as Tag[];

    const pages = await pageByDate(list({ limit: 10 }), (x) => x.updated, { limit: 10 });
    // 9 + 1 of the 3-run and its other 2; 10 of the 30-run and its other 20; 1 + 9 of the 12-run and its other 3; the 5-run.
    expect(pages.map((p) => p.length)).toEqual([12, 30, 13, 5, 0]);
    expect(expectEachOnce(pages, ids)).toEqual([...ids].reverse());

    // With the default page of 30, all 60 at T0..T0+5: the 30-run straddles the first page and is answered whole.
    const byDefault = await pageByDate(list({}), (x) => x.updated, { limit: 30 });
    expect(byDefault.map((p) => p.length)).toEqual([42, 18, 0]);
    expectEachOnce(byDefault, ids);
  });

  it('answers every tag of one millisecond in one page, then []', async () => {
    const t = await startApp();
    const auth = await t.auth();
    for (let i = 0; i < 35; i++) await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: `t${i}` }).expect(200);
    const first = await t.http.post('/v1/tags').set('Authorization', auth).send({});
    expect(first.body).toHaveLength(35);
    expect(first.body.every((x: { updated: string }) => x.updated === new Date(T0).toISOString())).toBe(true);
    expect((await t.http.post('/v1/tags').set('Authorization', auth).send({ date: first.body.at(-1).updated })).body).toEqual([]);
    // A smaller limit cannot cut the run either: the page is the whole run.
    expect((await t.http.post('/v1/tags').set('Authorization', auth).send({ limit: 1 })).body).toHaveLength(35);
  });

  it('rejects a tag without a label or with a bad colour, storing nothing', async () => {
    const t = await startApp();
    const auth = await t.auth();
    await expectRejected(t, () => t.http.post('/v1/tag').set('Authorization', auth).send({ color: '#FFF' }), 400, 'bad_data', 'tag');
    await expectRejected(t, () => t.http.post('/v1/tag').set('Authorization', auth).send({ tag: '  ' }), 400, 'bad_data', 'tag');
    await expectRejected(t, () => t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'x', color: 'gold' }), 400, 'bad_data', 'color');
    expect(t.sql('SELECT * FROM tags')).toEqual([]);
  });

  it('detaches a deleted tag from contacts and bumps their rev', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const tag = await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'VIP' });
    const c = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551234', tags: [{ tag_id: tag.body.id }] });
    expect(c.status).toBe(200);
    await t.http.delete(`/v1/tag/${tag.body.id}`).set('Authorization', auth);
    expect(t.sql('SELECT * FROM contact_tags')).toEqual([]);
    expect(t.sql<{ rev: number }>('SELECT rev FROM contacts')[0]!.rev).toBe(2);
  });
});
