import { describe, expect, it } from 'vitest';
import { expectApiError } from '../../support/app.js';
import { expectEachOnce, pageByDate } from '../../support/paging.js';
import { contact, expectRejected, FREE1, FREE2, getList, at, LOCAL, memberPhones, start, UUID } from './support.js';

// The deprecated v1 list endpoints (gap L1): same store as v2; GET answers the List object.

describe('deprecated v1 lists', () => {
  it('POST /v1/list: local_id optional; GET /v1/list/{id} answers the List object', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, { phone: '14155551001', first: 'Ann', last: 'Able' });
    t.clock.advance(1);
    const res = await t.http.post('/v1/list').set('Authorization', auth).send({ title: 'Old style', contacts: [ann], phones: [FREE1] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: 1, rev: 1, uuid: expect.stringMatching(UUID) });

    const got = await t.http.get('/v1/list/1').set('Authorization', auth);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: 1,
      name: 'Old style',
      local_id: '',
      targets: { '14155551001': { f: 'Ann', l: 'Able' }, [FREE1]: { f: '', l: '' } },
      team_id: 1,
      creator_id: 1,
      shared: true,
      created: at(1),
      updated: at(1),
      rev: 1,
      archived: false,
      // FREE1 got a new contact (2).
      contacts: [ann, 2],
      emails: [],
    });

    const keyed = await t.http.post('/v1/list').set('Authorization', auth).send({ title: 'Keyed', local_id: LOCAL, type: 'contacts', emails: ['z@example.com'] });
    expect(keyed.body).toEqual({ id: 2, rev: 1, uuid: LOCAL });
    expect(await getList(t, auth, 2)).toMatchObject({ local_id: LOCAL, targets: {}, contacts: [3], emails: [] });
    expect(t.sql('SELECT email FROM contacts WHERE id = 3')).toEqual([{ email: 'z@example.com' }]);
  });

  it('POST /v1/list applies the v2 rules', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => t.http.post('/v1/list').set('Authorization', auth).send({ phones: [FREE1] }), 400, 'bad_data', 'title');
    await expectRejected(t, () => t.http.post('/v1/list').set('Authorization', auth).send({ title: 'T' }), 400, 'bad_data', null);
    await expectRejected(t, () => t.http.post('/v1/list').set('Authorization', auth).send({ title: 'T', contacts: [5] }), 400, 'bad_data', 'contacts[0]');
    await expectRejected(t, () => t.http.post('/v1/list').set('Authorization', auth).send({ title: 'T', emails: ['a@example.com'] }), 400, 'bad_data', 'emails');
  });

  it('PUT /v1/list/{id} is the v2 update; DELETE /v1/list/{id} answers {deleted: true, id}', async () => {
    const { t, auth } = await start();
    await t.http.post('/v1/list').set('Authorization', auth).send({ title: 'L', phones: [FREE1] });
    const put = await t.http.put('/v1/list/1').set('Authorization', auth).send({ title: 'Renamed', add_phones: [FREE2], remove_phones: [FREE1] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ id: 1, rev: 2 });
    expect(memberPhones(t, 1)).toEqual([FREE2]);
    expect(await getList(t, auth, 1)).toMatchObject({ name: 'Renamed', rev: 2 });
    await expectRejected(t, () => t.http.put('/v1/list/1').set('Authorization', auth).send({ add_contacts: [77] }), 400, 'bad_data', 'add_contacts[0]');
    await expectRejected(t, () => t.http.put('/v1/list/2').set('Authorization', auth).send({ title: 'X' }), 404, 'not_found', 'id');

    const del = await t.http.delete('/v1/list/1').set('Authorization', auth);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ deleted: true, id: 1 });
    expect(t.sql('SELECT * FROM list_members')).toEqual([]);
    expectApiError(await t.http.get('/v1/list/1').set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete('/v1/list/1').set('Authorization', auth), 404, 'not_found', 'id');
  });

  it('POST /v1/lists pages List objects by the updated-before cursor, 30 at a time, most recent first', async () => {
    const { t, auth } = await start();
    // The clock moves 1 ms between writes, so each list has its own time.
    for (let i = 0; i < 35; i++) {
      if (i > 0) t.clock.advance(1);
      const res = await t.http.post('/v2/lists').set('Authorization', auth).send({ title: `l${i}`, local_id: `k${i}`, phones: [FREE1] });
      expect(res.status).toBe(200);
    }
    // Updating l2 makes it the most recent.
    t.clock.advance(1);
    await t.http.put('/v2/lists/3').set('Authorization', auth).send({ title: 'l2*' });

    const first = await t.http.post('/v1/lists').set('Authorization', auth).send({});
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(30);
    expect(first.body.slice(0, 3).map((l: { name: string }) => l.name)).toEqual(['l2*', 'l34', 'l33']);
    expect(first.body[0]).toEqual(await getList(t, auth, 3));
    const next = await t.http.post('/v1/lists').set('Authorization', auth).send({ date: first.body[29].updated });
    expect(next.body.map((l: { name: string }) => l.name)).toEqual(['l5', 'l4', 'l3', 'l1', 'l0']);
    expect(next.body[4]).toEqual({
      id: 1, name: 'l0', local_id: 'k0', targets: { [FREE1]: { f: '', l: '' } }, team_id: 1, creator_id: 1, shared: true,
      created: at(), updated: at(), rev: 1, archived: false, contacts: [1], emails: [],
    });
    expect((await t.http.post('/v1/lists').set('Authorization', auth).send({ date: next.body[4].updated })).body).toEqual([]);
    expect((await t.http.post('/v1/lists').set('Authorization', auth)).body).toHaveLength(30);
    expect((await t.http.post('/v1/lists').set('Authorization', auth).send({ limit: 2 })).body.map((l: { id: number }) => l.id)).toEqual([3, 35]);
  });

  it('POST /v1/lists pages lists sharing a millisecond in whole runs, never skipping or repeating one', async () => {
    const { t, auth } = await start();
    // Runs of 8, 25 and 4 lists at T0, T0+1 and T0+2 ms.
    for (const [k, size] of [8, 25, 4].entries()) {
      if (k > 0) t.clock.advance(1);
      for (let i = 0; i < size; i++) await t.http.post('/v2/lists').set('Authorization', auth).send({ title: `r${k}.${i}`, local_id: `r${k}.${i}`, phones: [FREE1] }).expect(200);
    }
    const ids = Array.from({ length: 37 }, (_, i) => i + 1);
    const list = (limit: number) => async (date: string | undefined) =>
      (await t.http.post('/v1/lists').set('Authorization', auth).send({ limit, ...(date ? { date } : {}) }).expect(200)).body as Array<{ id: number; updated: string }>;
    const byTen = await pageByDate(list(10), (l) => l.updated, { limit: 10 });
    // 4 + 6 of the 25-run and its other 19; then the 8-run.
    expect(byTen.map((p) => p.length)).toEqual([29, 8, 0]);
    expect(expectEachOnce(byTen, ids)).toEqual([...ids].reverse());
    const byThirty = await pageByDate(list(30), (l) => l.updated, { limit: 30 });
    // 4 + 25 + 1 of the 8-run and its other 7.
    expect(byThirty.map((p) => p.length)).toEqual([37, 0]);
    expectEachOnce(byThirty, ids);
  });

  it('POST /v1/lists refuses a bad cursor', async () => {
    const { t, auth } = await start();
    expectApiError(await t.http.post('/v1/lists').set('Authorization', auth).send({ date: '2026-13-01' }), 400, 'bad_data', 'date');
    expectApiError(await t.http.post('/v1/lists').set('Authorization', auth).send({ limit: 0 }), 400, 'bad_data', 'limit');
  });
});
