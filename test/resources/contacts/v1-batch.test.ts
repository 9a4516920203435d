import { describe, expect, it } from 'vitest';
import { T0 } from '../../support/app.js';
import { channelsOf, contactObject, createContact, createField, createTag, expectRejected, getContact, at, snapshot, start } from './support.js';

// POST /v1/batch/contacts (rule 18, gap C15): "ok" when nothing failed, else the failed input items
// each with `error` and `field`; an existing phone is skipped unless ?overwrite=true.

type Failure = Record<string, unknown> & { error: string; field: string };

const byPhone = (t: Awaited<ReturnType<typeof start>>['t']) =>
  t.sql<{ phone: string; first: string }>('SELECT phone, first FROM contacts ORDER BY id').map((r) => [r.phone, r.first]);

describe('POST /v1/batch/contacts', () => {
  it('creates every item and answers the JSON string "ok"', async () => {
    const { t, auth } = await start();
    const tag = await createTag(t, auth, 'VIP');
    t.clock.advance(1);
    const res = await t.http
      .post('/v1/batch/contacts')
      .set('Authorization', auth)
      .send([
        { phone: '14155552000', first: 'One', last: 'A', email: 'one@example.com', is_opted_out: true },
        { phone: '14155552001', first: 'Two', display_name: 'Number Two', tags: [{ tag_id: tag }], assignee_id: 2 },
      ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.text).toBe('"ok"');

    const ids = t.sql<{ id: number; uuid: string }>('SELECT id, uuid FROM contacts ORDER BY id');
    expect(ids).toHaveLength(2);
    expect(await getContact(t, auth, ids[0]!.id)).toEqual(
      contactObject({ id: ids[0]!.id, uuid: ids[0]!.uuid, phone: '14155552000', first: 'One', last: 'A', display_name: 'One A', email: 'one@example.com', is_opted_out: true, created: at(1), updated: at(1) }),
    );
    const second = await getContact(t, auth, ids[1]!.id);
    expect(second).toEqual(
      contactObject({
        id: ids[1]!.id,
        uuid: ids[1]!.uuid,
        phone: '14155552001',
        first: 'Two',
        display_name: 'Number Two',
        assigned_user_id: 2,
        tags: [{ id: tag, tag: 'VIP', color: '', team_id: 1, created: at(), updated: at(), rev: 1 }],
        // One batch is written at one time: both items share it.
        created: at(1),
        updated: at(1),
      }),
    );
    expect(channelsOf(t, ids[0]!.id)).toEqual([
      { team_id: 1, channel_type: 'phone', channel_id: '14155552000' },
      { team_id: 1, channel_type: 'email', channel_id: 'one@example.com' },
    ]);
    expect(channelsOf(t, ids[1]!.id)).toEqual([{ team_id: 1, channel_type: 'phone', channel_id: '14155552001' }]);
  });

  it('stores the good items around a bad one and lists only the bad one, with error and field', async () => {
    const { t, auth } = await start();
    const res = await t.http
      .post('/v1/batch/contacts')
      .set('Authorization', auth)
      .send([
        { phone: '14155552000', first: 'First' },
        { phone: '+14155552001', first: 'Middle' },
        { phone: '14155552002', first: 'Third' },
      ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual([{ phone: '+14155552001', first: 'Middle', error: expect.stringContaining('phone'), field: '[1].phone' }]);
    expect(byPhone(t)).toEqual([
      ['14155552000', 'First'],
      ['14155552002', 'Third'],
    ]);
    expect(t.sql('SELECT channel_id FROM contact_channels ORDER BY id')).toEqual([{ channel_id: '14155552000' }, { channel_id: '14155552002' }]);
  });

  it('reports each kind of bad item with the field it names, keeping each item atomic', async () => {
    const { t, auth } = await start();
    const tag = await createTag(t, auth, 'VIP');
    const field = String(await createField(t, auth, 'Plan'));
    const items: unknown[] = [
      { first: 'No phone' },
      { phone: '14155552001', tags: [{ tag_id: tag }, { tag_id: 999 }] },
      { phone: '14155552002', custom: { [field]: 'ok', '999': 'x' } },
      { phone: '14155552003', custom: { Plan: 'x' } },
      { phone: '14155552004', assignee_id: 999 },
      { phone: '14155552005', email: 'nope' },
      { phone: '14155552006', tags: Array.from({ length: 6 }, () => ({ tag_id: tag })) },
      { phone: '14155552007', tags: [{ tag_id: tag }, { tag_id: tag }] },
      { phone: '14155552008', first: 'Good', tags: [{ tag_id: tag }], custom: { [field]: 'Gold' } },
    ];
    const res = await t.http.post('/v1/batch/contacts').set('Authorization', auth).send(items);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const failed = res.body as Failure[];
    expect(failed.map((f) => f.field)).toEqual([
      '[0].phone',
      '[1].tags[1].tag_id',
      '[2].custom.999',
      '[3].custom.Plan',
      '[4].assignee_id',
      '[5].email',
      '[6].tags',
      '[7].tags[1].tag_id',
    ]);
    // Each failure echoes its input item, plus a non-empty message.
    failed.forEach((f, i) => {
      const { error, field: _field, ...item } = f;
      expect(item).toEqual(items[i]);
      expect(typeof error).toBe('string');
      expect(error.length).toBeGreaterThan(0);
    });
    // Only the good item was written: no half-written contact, channel or tag link of a bad one.
    expect(byPhone(t)).toEqual([['14155552008', 'Good']]);
    const id = t.sql<{ id: number }>('SELECT id FROM contacts')[0]!.id;
    expect(t.sql('SELECT contact_id, tag_id FROM contact_tags')).toEqual([{ contact_id: id, tag_id: tag }]);
    expect(t.sql('SELECT contact_id, channel_id FROM contact_channels')).toEqual([{ contact_id: id, channel_id: '14155552008' }]);
    expect((await getContact(t, auth, id)).custom).toEqual({ [field]: 'Gold' });
  });

  it('names a non-string custom value of an item as [i].custom.<key>', async () => {
    const { t, auth } = await start();
    const field = String(await createField(t, auth, 'Plan'));
    const res = await t.http.post('/v1/batch/contacts').set('Authorization', auth).send([{ phone: '14155552000', custom: { [field]: 7 } }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ phone: '14155552000', custom: { [field]: 7 }, error: expect.any(String), field: `[0].custom.${field}` }]);
    expect(t.sql('SELECT * FROM contacts')).toEqual([]);
  });

  it('reports items that are not objects', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/batch/contacts').set('Authorization', auth).send(['14155552000', { phone: '14155552001' }, null, 5]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual([
      { item: '14155552000', error: expect.any(String), field: '[0]' },
      { item: null, error: expect.any(String), field: '[2]' },
      { item: 5, error: expect.any(String), field: '[3]' },
    ]);
    expect(byPhone(t)).toEqual([['14155552001', '']]);
  });

  it('treats null-valued keys of an item as absent', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/batch/contacts').set('Authorization', auth).send([{ phone: '14155552000', first: 'A', email: null, tags: null, custom: null, assignee_id: null }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toBe('ok');
    expect(t.sql('SELECT phone, first, email, custom, assigned_user_id FROM contacts')).toEqual([
      { phone: '14155552000', first: 'A', email: '', custom: '{}', assigned_user_id: null },
    ]);
  });

  it('skips an item whose phone exists, leaving that contact unchanged, unless ?overwrite=true', async () => {
    const { t, auth } = await start();
    const field = String(await createField(t, auth, 'Plan'));
    const existing = await createContact(t, auth, { phone: '14155552000', first: 'Old', email: 'old@example.com', custom: { [field]: 'Gold' } });
    const before = await getContact(t, auth, existing.id);
    const channelsBefore = channelsOf(t, existing.id);

    for (const query of ['', '?overwrite=false']) {
      const res = await t.http
        .post(`/v1/batch/contacts${query}`)
        .set('Authorization', auth)
        .send([{ phone: '14155552000', first: 'New', email: 'new@example.com' }, { phone: `1415555200${query ? 2 : 1}`, first: 'Fresh' }]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toBe('ok');
    }
    expect(await getContact(t, auth, existing.id)).toEqual(before);
    expect(channelsOf(t, existing.id)).toEqual(channelsBefore);
    expect(byPhone(t)).toEqual([
      ['14155552000', 'Old'],
      ['14155552001', 'Fresh'],
      ['14155552002', 'Fresh'],
    ]);
  });

  it('overwrites the contact with the same phone with ?overwrite=true', async () => {
    const { t, auth } = await start();
    const plan = String(await createField(t, auth, 'Plan'));
    const tier = String(await createField(t, auth, 'Tier'));
    const [a, b] = [await createTag(t, auth, 'a'), await createTag(t, auth, 'b')];
    const existing = await createContact(t, auth, {
      phone: '14155552000',
      first: 'Old',
      last: 'Name',
      email: 'old@example.com',
      custom: { [plan]: 'Gold', [tier]: '1' },
      tags: [{ tag_id: a }],
      assignee_id: 2,
    });
    t.clock.advance(1_000);
    const res = await t.http
      .post('/v1/batch/contacts?overwrite=true')
      .set('Authorization', auth)
      .send([
        { phone: '14155552000', first: 'New', email: 'new@example.com', custom: { [tier]: '2' }, tags: [{ tag_id: b }] },
        { phone: '14155552001', first: 'Fresh' },
      ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toBe('ok');
    const got = await getContact(t, auth, existing.id);
    expect(got).toEqual(
      contactObject({
        id: existing.id,
        uuid: existing.uuid,
        phone: '14155552000',
        first: 'New',
        last: 'Name',
        display_name: 'New Name',
        email: 'new@example.com',
        custom: { [tier]: '2' }, // replaced, not merged
        tags: [expect.objectContaining({ id: b })],
        assigned_user_id: 2,
        created: at(),
        updated: at(1_000),
        rev: 2,
        op: 'update',
      }),
    );
    expect(channelsOf(t, existing.id)).toEqual([
      { team_id: 1, channel_type: 'phone', channel_id: '14155552000' },
      { team_id: 1, channel_type: 'email', channel_id: 'new@example.com' },
    ]);
    expect(byPhone(t)).toEqual([
      ['14155552000', 'New'],
      ['14155552001', 'Fresh'],
    ]);
  });

  it('leaves custom alone when an overwriting item omits it', async () => {
    const { t, auth } = await start();
    const plan = String(await createField(t, auth, 'Plan'));
    const existing = await createContact(t, auth, { phone: '14155552000', custom: { [plan]: 'Gold' } });
    const res = await t.http.post('/v1/batch/contacts?overwrite=true').set('Authorization', auth).send([{ phone: '14155552000', first: 'New' }]);
    expect(res.body).toBe('ok');
    expect((await getContact(t, auth, existing.id)).custom).toEqual({ [plan]: 'Gold' });
  });

  it('fails an overwriting item with a bad reference without touching the existing contact', async () => {
    const { t, auth } = await start();
    const existing = await createContact(t, auth, { phone: '14155552000', first: 'Old' });
    const before = snapshot(t);
    const res = await t.http.post('/v1/batch/contacts?overwrite=true').set('Authorization', auth).send([{ phone: '14155552000', first: 'New', tags: [{ tag_id: 999 }] }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ phone: '14155552000', first: 'New', tags: [{ tag_id: 999 }], error: expect.any(String), field: '[0].tags[0].tag_id' }]);
    expect(snapshot(t)).toEqual(before);
    expect((await getContact(t, auth, existing.id)).rev).toBe(1);
  });

  it('handles a phone repeated inside one batch as an existing phone: skipped, or overwritten with ?overwrite=true', async () => {
    const { t, auth } = await start();
    const items = [
      { phone: '14155552000', first: 'one' },
      { phone: '14155552000', first: 'two' },
    ];
    expect((await t.http.post('/v1/batch/contacts').set('Authorization', auth).send(items)).body).toBe('ok');
    expect(t.sql('SELECT phone, first, rev FROM contacts')).toEqual([{ phone: '14155552000', first: 'one', rev: 1 }]);

    const other = [
      { phone: '14155552001', first: 'one' },
      { phone: '14155552001', first: 'two' },
    ];
    expect((await t.http.post('/v1/batch/contacts?overwrite=true').set('Authorization', auth).send(other)).body).toBe('ok');
    expect(t.sql('SELECT phone, first, rev FROM contacts ORDER BY id')).toEqual([
      { phone: '14155552000', first: 'one', rev: 1 },
      { phone: '14155552001', first: 'two', rev: 2 },
    ]);
  });

  it('accepts 1000 items in one request', async () => {
    const { t, auth } = await start();
    const items = Array.from({ length: 1000 }, (_, i) => ({ phone: `1415555${String(i).padStart(4, '0')}`, first: `n${i}` }));
    const res = await t.http.post('/v1/batch/contacts').set('Authorization', auth).send(items);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body).toBe('ok');
    // Writes keep true times: on the frozen clock the whole batch shares T0 (ids tell the items apart).
    expect(t.sql('SELECT COUNT(*) AS n, COUNT(DISTINCT updated) AS stamps, MIN(updated) AS updated FROM contacts')).toEqual([{ n: 1000, stamps: 1, updated: T0 }]);
    expect((await t.http.post('/v1/contacts/count').set('Authorization', auth)).body).toBe('1000');
  });

  it('rejects the whole request for more than 1000 items, an empty array, a non-array body or a bad ?overwrite, storing nothing', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: '14155559999' });
    const post = (body: unknown, query = '') => () => t.http.post(`/v1/batch/contacts${query}`).set('Authorization', auth).send(body as object);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ phone: `1415555${String(i).padStart(4, '0')}` }));
    await expectRejected(t, post(tooMany), 400, 'bad_data', null);
    await expectRejected(t, post([]), 400, 'bad_data', null);
    await expectRejected(t, post({ phone: '14155552000' }), 400, 'bad_data', null);
    await expectRejected(t, post([{ phone: '14155552000' }], '?overwrite=yes'), 400, 'bad_data', 'overwrite');
    await expectRejected(t, () => t.http.post('/v1/batch/contacts').set('Authorization', auth), 400, 'bad_data', null);
  });
});
