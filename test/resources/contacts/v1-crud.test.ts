import { describe, expect, it } from 'vitest';
import { expectApiError } from '../../support/app.js';
import {
  channelsOf,
  contactObject,
  createContact,
  createField,
  createTag,
  expectRejected,
  getContact,
  at,
  snapshot,
  start,
  UUID,
} from './support.js';

// v1 contacts addressed by integer id: POST /v1/contact, GET/PUT/DELETE /v1/contact/{id}
// (contacts-v1.md, validation rules 13-17, gaps C1-C3, C7, C8, C18).

const EXAMPLE = { phone: '15105553344', first: 'API', last: 'Contact', display_name: 'API Contact', email: 'help@heymarket.com', is_opted_out: false };

describe('POST /v1/contact', () => {
  it('creates the documented example and answers {id, rev: 1, uuid}; GET returns the whole contact', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/contact').set('Authorization', auth).send(EXAMPLE);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ id: expect.any(Number), rev: 1, uuid: expect.stringMatching(UUID) });
    expect(Object.keys(res.body).sort()).toEqual(['id', 'rev', 'uuid']);

    const got = await t.http.get(`/v1/contact/${res.body.id}`).set('Authorization', auth);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(
      contactObject({
        id: res.body.id,
        uuid: res.body.uuid,
        display_name: 'API Contact',
        first: 'API',
        last: 'Contact',
        email: 'help@heymarket.com',
        phone: '15105553344',
        created: at(),
        updated: at(),
      }),
    );

    // The phone and email are mirrored into contact_channels rows of the team.
    expect(channelsOf(t, res.body.id)).toEqual([
      { team_id: 1, channel_type: 'phone', channel_id: '15105553344' },
      { team_id: 1, channel_type: 'email', channel_id: 'help@heymarket.com' },
    ]);
    expect(t.sql('SELECT id, team_id, uuid, phone, email, rev, op, unsubscribed, blocked FROM contacts')).toEqual([
      { id: res.body.id, team_id: 1, uuid: res.body.uuid, phone: '15105553344', email: 'help@heymarket.com', rev: 1, op: 'create', unsubscribed: 0, blocked: 0 },
    ]);
  });

  it('stores every optional ContactRequest field: custom, tags (in order), assignee, opt-out, avatar, suppressions', async () => {
    const { t, auth } = await start();
    const plan = await createField(t, auth, 'Plan');
    const account = await createField(t, auth, 'Account');
    const vip = await createTag(t, auth, 'VIP', '#FFD700');
    t.clock.advance(1);
    const lead = await createTag(t, auth, 'Lead');
    t.clock.advance(1);
    const res = await t.http
      .post('/v1/contact')
      .set('Authorization', auth)
      .send({
        phone: '14155551234',
        first: 'John',
        last: 'Smith',
        email: 'john.s@heymarket.com',
        avatar: 'https://some.image.url.com/img.jpg',
        custom: { [plan]: 'Premium', [account]: 'Account-9823' },
        tags: [{ tag_id: lead }, { tag_id: vip }],
        assignee_id: 2,
        is_opted_out: true,
        email_suppressions: [123],
      });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: expect.any(Number), rev: 1, uuid: expect.stringMatching(UUID) });

    const got = await getContact(t, auth, res.body.id);
    expect(got).toEqual(
      contactObject({
        id: res.body.id,
        uuid: res.body.uuid,
        display_name: 'John Smith', // defaults to first + last when omitted on create
        first: 'John',
        last: 'Smith',
        email: 'john.s@heymarket.com',
        phone: '14155551234',
        avatar: 'https://some.image.url.com/img.jpg',
        custom: { [String(plan)]: 'Premium', [String(account)]: 'Account-9823' },
        assigned_user_id: 2,
        is_opted_out: true,
        tags: [
          { id: lead, tag: 'Lead', color: '', team_id: 1, created: at(1), updated: at(1), rev: 1 },
          { id: vip, tag: 'VIP', color: '#FFD700', team_id: 1, created: at(), updated: at(), rev: 1 },
        ],
        created: at(2),
        updated: at(2),
      }),
    );
    expect(t.sql('SELECT tag_id, position FROM contact_tags WHERE contact_id = ? ORDER BY position', res.body.id)).toEqual([
      { tag_id: lead, position: 0 },
      { tag_id: vip, position: 1 },
    ]);
    expect(t.sql('SELECT unsubscribed, blocked, email_suppressions FROM contacts')).toEqual([
      { unsubscribed: 1, blocked: 0, email_suppressions: '[123]' },
    ]);
  });

  it('derives display_name from first/last only when it is omitted', async () => {
    const { t, auth } = await start();
    const firstOnly = await createContact(t, auth, { phone: '14155552000', first: 'Ann' });
    const lastOnly = await createContact(t, auth, { phone: '14155552001', last: 'Lee' });
    const none = await createContact(t, auth, { phone: '14155552002' });
    const explicit = await createContact(t, auth, { phone: '14155552003', first: 'Ann', last: 'Lee', display_name: 'The Boss' });
    expect((await getContact(t, auth, firstOnly.id)).display_name).toBe('Ann');
    expect((await getContact(t, auth, lastOnly.id)).display_name).toBe('Lee');
    expect((await getContact(t, auth, none.id)).display_name).toBe('');
    expect((await getContact(t, auth, explicit.id)).display_name).toBe('The Boss');
  });

  it('gives every contact its own integer id and uuid, and stamps each write with its true time', async () => {
    const { t, auth } = await start();
    const a = await createContact(t, auth, { phone: '14155552000' });
    const b = await createContact(t, auth, { phone: '14155552001' });
    t.clock.advance(250);
    const c = await createContact(t, auth, { phone: '14155552002' });
    expect(b.id).toBeGreaterThan(a.id);
    expect(a.uuid).not.toBe(b.uuid);
    expect((await getContact(t, auth, a.id)).uuid).toBe(a.uuid);
    // Two writes in the same millisecond of the frozen clock share it; the ids still tell them apart.
    expect((await getContact(t, auth, a.id)).created).toBe(at());
    expect((await getContact(t, auth, b.id)).created).toBe(at());
    expect((await getContact(t, auth, c.id)).created).toBe(at(250));
  });

  it('treats null-valued keys as absent', async () => {
    const { t, auth } = await start();
    const res = await t.http
      .post('/v1/contact')
      .set('Authorization', auth)
      .send({ phone: '14155551234', first: null, last: 'Lee', email: null, display_name: null, custom: null, tags: null, assignee_id: null, is_opted_out: null, avatar: null });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await getContact(t, auth, res.body.id)).toEqual(
      contactObject({ id: res.body.id, uuid: res.body.uuid, phone: '14155551234', last: 'Lee', display_name: 'Lee', created: at(), updated: at() }),
    );
  });

  it('creates no email channel for a contact without email (or with email "")', async () => {
    const { t, auth } = await start();
    const a = await createContact(t, auth, { phone: '14155552000' });
    const b = await createContact(t, auth, { phone: '14155552001', email: '' });
    expect(channelsOf(t, a.id)).toEqual([{ team_id: 1, channel_type: 'phone', channel_id: '14155552000' }]);
    expect(channelsOf(t, b.id)).toEqual([{ team_id: 1, channel_type: 'phone', channel_id: '14155552001' }]);
    expect((await getContact(t, auth, b.id)).email).toBe('');
  });

  it('accepts exactly 5 tags and keeps their order', async () => {
    const { t, auth } = await start();
    const ids: number[] = [];
    for (const label of ['a', 'b', 'c', 'd', 'e']) ids.push(await createTag(t, auth, label));
    const order = [ids[3]!, ids[0]!, ids[4]!, ids[1]!, ids[2]!];
    const c = await createContact(t, auth, { phone: '14155551234', tags: order.map((tag_id) => ({ tag_id })) });
    expect((await getContact(t, auth, c.id)).tags.map((x: { id: number }) => x.id)).toEqual(order);
  });

  it('refuses a phone another contact of the team already has (gap C1), storing nothing', async () => {
    const { t, auth } = await start();
    const first = await createContact(t, auth, { phone: '14155551234', first: 'Original' });
    const res = await expectRejected(
      t,
      () => t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551234', first: 'Copy' }),
      400,
      'bad_data',
      'phone',
    );
    expect((res.body as { message: string }).message).toContain(String(first.id));
    expect(t.sql('SELECT first FROM contacts')).toEqual([{ first: 'Original' }]);
  });

  describe('rejects an invalid ContactRequest with 400 bad_data naming the field, storing nothing', () => {
    // `ctx` gives the ids of a field and a tag that exist in team 1.
    type Ctx = { field: number; tag: number; tag2: number };
    const cases: Array<[string, (c: Ctx) => unknown, string | null]> = [
      ['phone missing (rule 13)', () => ({ first: 'No phone' }), 'phone'],
      ['phone null (null = absent, still required)', () => ({ phone: null, first: 'x' }), 'phone'],
      ['phone with a leading +', () => ({ phone: '+14155551234' }), 'phone'],
      ['phone with letters', () => ({ phone: '1415555abcd' }), 'phone'],
      ['phone too short', () => ({ phone: '12345' }), 'phone'],
      ['phone as a number', () => ({ phone: 14155551234 }), 'phone'],
      ['phone empty', () => ({ phone: '' }), 'phone'],
      ['email malformed', () => ({ phone: '14155551234', email: 'not-an-email' }), 'email'],
      ['avatar not an http(s) URL', () => ({ phone: '14155551234', avatar: 'ftp://example.com/a.png' }), 'avatar'],
      ['first not a string', () => ({ phone: '14155551234', first: 123 }), 'first'],
      ['last longer than 255', () => ({ phone: '14155551234', last: 'x'.repeat(256) }), 'last'],
      ['display_name not a string', () => ({ phone: '14155551234', display_name: true }), 'display_name'],
      ['custom value a number (values are strings, C7)', (c) => ({ phone: '14155551234', custom: { [c.field]: 5 } }), 'custom.FIELD'],
      ['custom value longer than 10000 characters', (c) => ({ phone: '14155551234', custom: { [c.field]: 'x'.repeat(10_001) } }), 'custom.FIELD'],
      ['custom keyed by title (rule 15)', () => ({ phone: '14155551234', custom: { Plan: 'Gold' } }), 'custom.Plan'],
      ['custom key of no field of the team', () => ({ phone: '14155551234', custom: { '999': 'Gold' } }), 'custom.999'],
      ['custom key with a leading zero (not a field id as written)', (c) => ({ phone: '14155551234', custom: { [`0${c.field}`]: 'Gold' } }), 'custom.0FIELD'],
      ['custom an array', () => ({ phone: '14155551234', custom: ['Gold'] }), 'custom'],
      ['tags more than 5 (rule 14)', (c) => ({ phone: '14155551234', tags: Array.from({ length: 6 }, () => ({ tag_id: c.tag })) }), 'tags'],
      ['tags item without tag_id', () => ({ phone: '14155551234', tags: [{}] }), 'tags[0].tag_id'],
      ['tags item tag_id a string', () => ({ phone: '14155551234', tags: [{ tag_id: 'VIP' }] }), 'tags[0].tag_id'],
      ['tags item of an unknown tag', (c) => ({ phone: '14155551234', tags: [{ tag_id: c.tag }, { tag_id: 999 }] }), 'tags[1].tag_id'],
      ['tags listing a tag twice', (c) => ({ phone: '14155551234', tags: [{ tag_id: c.tag }, { tag_id: c.tag2 }, { tag_id: c.tag }] }), 'tags[2].tag_id'],
      ['tags not an array', (c) => ({ phone: '14155551234', tags: { tag_id: c.tag } }), 'tags'],
      ['assignee_id 0', () => ({ phone: '14155551234', assignee_id: 0 }), 'assignee_id'],
      ['assignee_id -2', () => ({ phone: '14155551234', assignee_id: -2 }), 'assignee_id'],
      ['assignee_id not a member of the team', () => ({ phone: '14155551234', assignee_id: 999 }), 'assignee_id'],
      ['assignee_id a string', () => ({ phone: '14155551234', assignee_id: '2' }), 'assignee_id'],
      ['assignee_id fractional', () => ({ phone: '14155551234', assignee_id: 1.5 }), 'assignee_id'],
      ['is_opted_out not a boolean', () => ({ phone: '14155551234', is_opted_out: 'yes' }), 'is_opted_out'],
      ['email_suppressions with a non-integer', () => ({ phone: '14155551234', email_suppressions: ['x'] }), 'email_suppressions[0]'],
      ['body an array', () => [{ phone: '14155551234' }], null],
    ];
    it.each(cases)('%s', async (_name, body, field) => {
      const { t, auth } = await start();
      const c: Ctx = { field: await createField(t, auth, 'Plan'), tag: await createTag(t, auth, 'VIP'), tag2: await createTag(t, auth, 'Lead') };
      await createContact(t, auth, { phone: '14155550000', first: 'Existing' });
      const expectedField = field && field.replace('FIELD', String(c.field));
      await expectRejected(t, () => t.http.post('/v1/contact').set('Authorization', auth).send(body(c) as object), 400, 'bad_data', expectedField);
      expect(t.sql('SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 1 }]);
    });
  });

  it('rejects a body that is not JSON', async () => {
    const { t, auth } = await start();
    await expectRejected(
      t,
      () => t.http.post('/v1/contact').set('Authorization', auth).set('Content-Type', 'application/json').send('{"phone": "14155551234"'),
      400,
      'bad_data',
      null,
    );
  });

  it('requires credentials', async () => {
    const { t } = await start();
    const before = snapshot(t);
    expectApiError(await t.http.post('/v1/contact').send({ phone: '14155551234' }), 401, 'unauthorized');
    expect(snapshot(t)).toEqual(before);
  });
});

describe('GET /v1/contact/{id}', () => {
  it('answers 400 naming id for an id that is not a positive integer', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: '14155551234' });
    for (const bad of ['abc', '0', '-1', '1.5', '1e3']) {
      expectApiError(await t.http.get(`/v1/contact/${bad}`).set('Authorization', auth), 400, 'bad_data', 'id');
    }
  });

  it('answers 404 not_found for an unknown id', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234' });
    expectApiError(await t.http.get(`/v1/contact/${c.id + 1}`).set('Authorization', auth), 404, 'not_found');
  });
});

describe('PUT /v1/contact/{id}', () => {
  it('updates the sent fields, keeps the omitted ones, bumps rev and updated, and answers {id, rev, uuid}', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234', first: 'Ann', last: 'Lee', email: 'ann@example.com', avatar: 'https://x.example.com/a.png', assignee_id: 2 });
    t.clock.advance(1_000);
    const res = await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', last: 'Long' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: c.id, rev: 2, uuid: c.uuid });
    expect(await getContact(t, auth, c.id)).toEqual(
      contactObject({
        id: c.id,
        uuid: c.uuid,
        phone: '14155551234',
        first: 'Ann',
        last: 'Long',
        display_name: 'Ann Long',
        email: 'ann@example.com',
        avatar: 'https://x.example.com/a.png',
        assigned_user_id: 2,
        created: at(),
        updated: at(1_000),
        rev: 2,
        op: 'update',
      }),
    );
  });

  it('increments rev and moves updated forward on every write', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234' });
    const seen: Array<{ rev: number; updated: string }> = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1);
      const res = await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', first: `v${i}` });
      expect(res.body.rev).toBe(i + 2);
      const got = await getContact(t, auth, c.id);
      seen.push({ rev: got.rev, updated: got.updated });
    }
    expect(seen).toEqual([
      { rev: 2, updated: at(1) },
      { rev: 3, updated: at(2) },
      { rev: 4, updated: at(3) },
    ]);
  });

  it('requires phone even on update (rule 13), changing nothing', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234', first: 'Ann' });
    await expectRejected(t, () => t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ first: 'Bob' }), 400, 'bad_data', 'phone');
  });

  it('changes the phone when a different one is sent (gap C8), moving the phone channel with it', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234', email: 'ann@example.com' });
    const channelIds = t.sql<{ id: number }>('SELECT id FROM contact_channels ORDER BY id');
    const res = await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155559876' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await getContact(t, auth, c.id)).phone).toBe('14155559876');
    expect(channelsOf(t, c.id)).toEqual([
      { team_id: 1, channel_type: 'phone', channel_id: '14155559876' },
      { team_id: 1, channel_type: 'email', channel_id: 'ann@example.com' },
    ]);
    // The channel rows are updated in place, not duplicated.
    expect(t.sql<{ id: number }>('SELECT id FROM contact_channels ORDER BY id')).toEqual(channelIds);
    // The old number is free again and no longer finds the contact.
    expectApiError(await t.http.post('/v1/contact/get').set('Authorization', auth).send({ phone: '14155551234' }), 404, 'not_found');
    const other = await createContact(t, auth, { phone: '14155551234' });
    expect(other.id).not.toBe(c.id);
  });

  it('refuses a phone that another contact has (gap C8), changing nothing', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: '14155551234' });
    const b = await createContact(t, auth, { phone: '14155559876', first: 'Bee' });
    await expectRejected(
      t,
      () => t.http.put(`/v1/contact/${b.id}`).set('Authorization', auth).send({ phone: '14155551234', first: 'Changed' }),
      400,
      'bad_data',
      'phone',
    );
  });

  it('clears the email with "" and removes the email channel; a new email updates it', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234', email: 'ann@example.com' });
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', email: 'ann@new.example.com' }).expect(200);
    expect(channelsOf(t, c.id)).toEqual([
      { team_id: 1, channel_type: 'phone', channel_id: '14155551234' },
      { team_id: 1, channel_type: 'email', channel_id: 'ann@new.example.com' },
    ]);
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', email: '' }).expect(200);
    expect((await getContact(t, auth, c.id)).email).toBe('');
    expect(channelsOf(t, c.id)).toEqual([{ team_id: 1, channel_type: 'phone', channel_id: '14155551234' }]);
    // Setting an email again recreates the channel.
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', email: 'back@example.com' }).expect(200);
    expect(channelsOf(t, c.id)).toEqual([
      { team_id: 1, channel_type: 'phone', channel_id: '14155551234' },
      { team_id: 1, channel_type: 'email', channel_id: 'back@example.com' },
    ]);
  });

  describe('custom (rule 17, gap C7)', () => {
    async function withCustom() {
      const { t, auth } = await start();
      const a = String(await createField(t, auth, 'A'));
      const b = String(await createField(t, auth, 'B'));
      const c = String(await createField(t, auth, 'C'));
      const contact = await createContact(t, auth, { phone: '14155551234', custom: { [a]: '1', [b]: '2' } });
      const put = (body: Record<string, unknown>, query = '') => t.http.put(`/v1/contact/${contact.id}${query}`).set('Authorization', auth).send({ phone: '14155551234', ...body });
      const custom = async () => (await getContact(t, auth, contact.id)).custom;
      return { t, auth, a, b, c, contact, put, custom };
    }

    it('merges the sent keys by default', async () => {
      const { a, b, c, put, custom } = await withCustom();
      expect((await put({ custom: { [b]: 'two', [c]: '3' } })).status).toBe(200);
      expect(await custom()).toEqual({ [a]: '1', [b]: 'two', [c]: '3' });
    });

    it('merges with ?overwrite=false too', async () => {
      const { a, b, put, custom } = await withCustom();
      expect((await put({ custom: { [b]: 'two' } }, '?overwrite=false')).status).toBe(200);
      expect(await custom()).toEqual({ [a]: '1', [b]: 'two' });
    });

    it('removes a key sent as null when merging', async () => {
      const { a, b, put, custom } = await withCustom();
      expect((await put({ custom: { [a]: null } })).status).toBe(200);
      expect(await custom()).toEqual({ [b]: '2' });
    });

    it('replaces the whole map with ?overwrite=true when custom is sent', async () => {
      const { c, put, custom } = await withCustom();
      expect((await put({ custom: { [c]: '3' } }, '?overwrite=true')).status).toBe(200);
      expect(await custom()).toEqual({ [c]: '3' });
      expect((await put({ custom: {} }, '?overwrite=true')).status).toBe(200);
      expect(await custom()).toEqual({});
    });

    it('leaves custom alone with ?overwrite=true when custom is omitted (or null)', async () => {
      const { a, b, put, custom } = await withCustom();
      expect((await put({ first: 'X' }, '?overwrite=true')).status).toBe(200);
      expect(await custom()).toEqual({ [a]: '1', [b]: '2' });
      expect((await put({ custom: null }, '?overwrite=true')).status).toBe(200);
      expect(await custom()).toEqual({ [a]: '1', [b]: '2' });
    });

    it('rejects a bad ?overwrite value and unknown or title keys, changing nothing', async () => {
      const { t, auth, contact, c } = await withCustom();
      const put = (body: Record<string, unknown>, query = '') => () =>
        t.http.put(`/v1/contact/${contact.id}${query}`).set('Authorization', auth).send({ phone: '14155551234', first: 'Changed', ...body });
      await expectRejected(t, put({ custom: { [c]: '3' } }, '?overwrite=yes'), 400, 'bad_data', 'overwrite');
      await expectRejected(t, put({ custom: { [c]: '3', '999': 'x' } }), 400, 'bad_data', 'custom.999');
      await expectRejected(t, put({ custom: { C: 'x' } }), 400, 'bad_data', 'custom.C');
      await expectRejected(t, put({ custom: { '999': null } }, '?overwrite=true'), 400, 'bad_data', 'custom.999');
    });

    it('rejects a non-string custom value naming custom.<key>, changing nothing', async () => {
      const { t, auth, contact, c } = await withCustom();
      const put = (custom: Record<string, unknown>) => () =>
        t.http.put(`/v1/contact/${contact.id}`).set('Authorization', auth).send({ phone: '14155551234', first: 'Changed', custom });
      await expectRejected(t, put({ [c]: 3 }), 400, 'bad_data', `custom.${c}`);
      await expectRejected(t, put({ [c]: { nested: 'x' } }), 400, 'bad_data', `custom.${c}`);
    });
  });

  it('always overwrites names, also with ?overwrite=false, and "" clears them', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234', first: 'Ann', last: 'Lee' });
    await t.http.put(`/v1/contact/${c.id}?overwrite=false`).set('Authorization', auth).send({ phone: '14155551234', first: 'Bea', last: '' }).expect(200);
    const got = await getContact(t, auth, c.id);
    expect({ first: got.first, last: got.last, display_name: got.display_name }).toEqual({ first: 'Bea', last: '', display_name: 'Bea' });
  });

  it('lets display_name follow first/last only while it was derived from them', async () => {
    const { t, auth } = await start();
    const derived = await createContact(t, auth, { phone: '14155551234', first: 'Ann', last: 'Lee' });
    const custom = await createContact(t, auth, { phone: '14155559876', first: 'Ann', last: 'Lee', display_name: 'Boss' });
    await t.http.put(`/v1/contact/${derived.id}`).set('Authorization', auth).send({ phone: '14155551234', first: 'Anna' }).expect(200);
    await t.http.put(`/v1/contact/${custom.id}`).set('Authorization', auth).send({ phone: '14155559876', first: 'Anna' }).expect(200);
    expect((await getContact(t, auth, derived.id)).display_name).toBe('Anna Lee');
    expect((await getContact(t, auth, custom.id)).display_name).toBe('Boss');
    // An explicit display_name wins over the derived one, and then stays put.
    await t.http.put(`/v1/contact/${derived.id}`).set('Authorization', auth).send({ phone: '14155551234', first: 'Anne', display_name: 'Chief' }).expect(200);
    expect((await getContact(t, auth, derived.id)).display_name).toBe('Chief');
    await t.http.put(`/v1/contact/${derived.id}`).set('Authorization', auth).send({ phone: '14155551234', last: 'Low' }).expect(200);
    expect((await getContact(t, auth, derived.id)).display_name).toBe('Chief');
  });

  it('assigns with assignee_id, unassigns with -1, and keeps the owner when it is omitted (rule 16)', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234' });
    const owner = async () => (await getContact(t, auth, c.id)).assigned_user_id;
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', assignee_id: 2 }).expect(200);
    expect(await owner()).toBe(2);
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', first: 'x' }).expect(200);
    expect(await owner()).toBe(2);
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', assignee_id: -1 }).expect(200);
    expect(await owner()).toBe(0);
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', assignee_id: 3 }).expect(200);
    expect(await owner()).toBe(3);
    await expectRejected(t, () => t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', assignee_id: 999 }), 400, 'bad_data', 'assignee_id');
    expect(await owner()).toBe(3);
  });

  it('unassigns with -1 on create too', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234', assignee_id: -1 });
    expect((await getContact(t, auth, c.id)).assigned_user_id).toBe(0);
  });

  it('replaces the tag set when tags is sent (order kept), keeps it when omitted or null, clears it with []', async () => {
    const { t, auth } = await start();
    const [a, b, c] = [await createTag(t, auth, 'a'), await createTag(t, auth, 'b'), await createTag(t, auth, 'c')];
    const contact = await createContact(t, auth, { phone: '14155551234', tags: [{ tag_id: a }, { tag_id: b }] });
    const tagIds = async () => (await getContact(t, auth, contact.id)).tags.map((x: { id: number }) => x.id);
    const put = (body: Record<string, unknown>) => t.http.put(`/v1/contact/${contact.id}`).set('Authorization', auth).send({ phone: '14155551234', ...body }).expect(200);
    await put({ tags: [{ tag_id: c }, { tag_id: a }] });
    expect(await tagIds()).toEqual([c, a]);
    expect(t.sql('SELECT tag_id, position FROM contact_tags ORDER BY position')).toEqual([
      { tag_id: c, position: 0 },
      { tag_id: a, position: 1 },
    ]);
    await put({ first: 'no tags key' });
    expect(await tagIds()).toEqual([c, a]);
    await put({ tags: null });
    expect(await tagIds()).toEqual([c, a]);
    await put({ tags: [] });
    expect(await tagIds()).toEqual([]);
    expect(t.sql('SELECT * FROM contact_tags')).toEqual([]);
    // The tags themselves are untouched.
    expect(t.sql('SELECT COUNT(*) AS n FROM tags')).toEqual([{ n: 3 }]);
  });

  it('refuses more than 5 tags, an unknown tag and a repeated tag on update, changing nothing', async () => {
    const { t, auth } = await start();
    const ids: number[] = [];
    for (const label of ['a', 'b', 'c', 'd', 'e', 'f']) ids.push(await createTag(t, auth, label));
    const contact = await createContact(t, auth, { phone: '14155551234', tags: [{ tag_id: ids[0]! }] });
    const put = (tags: unknown) => () => t.http.put(`/v1/contact/${contact.id}`).set('Authorization', auth).send({ phone: '14155551234', first: 'Changed', tags });
    await expectRejected(t, put(ids.map((tag_id) => ({ tag_id }))), 400, 'bad_data', 'tags');
    await expectRejected(t, put([{ tag_id: ids[1]! }, { tag_id: 999 }]), 400, 'bad_data', 'tags[1].tag_id');
    await expectRejected(t, put([{ tag_id: ids[1]! }, { tag_id: ids[1]! }]), 400, 'bad_data', 'tags[1].tag_id');
  });

  it('sets and clears is_opted_out', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234' });
    const status = async () => (await t.http.post('/v1/contact/status').set('Authorization', auth).send({ id: c.id })).body;
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', is_opted_out: true }).expect(200);
    expect((await getContact(t, auth, c.id)).is_opted_out).toBe(true);
    expect(await status()).toEqual({ id: c.id, phone: '14155551234', unsubscribed: true, blocked: false });
    await t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', is_opted_out: false }).expect(200);
    expect((await getContact(t, auth, c.id)).is_opted_out).toBe(false);
    expect(await status()).toEqual({ id: c.id, phone: '14155551234', unsubscribed: false, blocked: false });
  });

  it('treats null-valued keys as absent: only rev, updated and op change', async () => {
    const { t, auth } = await start();
    const field = String(await createField(t, auth, 'Plan'));
    const tag = await createTag(t, auth, 'VIP');
    const c = await createContact(t, auth, { phone: '14155551234', first: 'Ann', last: 'Lee', email: 'ann@example.com', custom: { [field]: 'Gold' }, tags: [{ tag_id: tag }], assignee_id: 2, is_opted_out: true });
    const before = await getContact(t, auth, c.id);
    t.clock.advance(5);
    const res = await t.http
      .put(`/v1/contact/${c.id}?overwrite=true`)
      .set('Authorization', auth)
      .send({ phone: '14155551234', first: null, last: null, display_name: null, email: null, avatar: null, custom: null, tags: null, assignee_id: null, is_opted_out: null });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await getContact(t, auth, c.id)).toEqual({ ...before, rev: 2, op: 'update', updated: at(5) });
  });

  it('answers 404 for an unknown id and 400 for a non-integer id, changing nothing', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234' });
    await expectRejected(t, () => t.http.put(`/v1/contact/${c.id + 1}`).set('Authorization', auth).send({ phone: '14155559876' }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put('/v1/contact/abc').set('Authorization', auth).send({ phone: '14155559876' }), 400, 'bad_data', 'id');
  });

  it('rejects field-level errors on update, changing nothing', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: '14155551234', email: 'ann@example.com' });
    const put = (body: Record<string, unknown>) => () => t.http.put(`/v1/contact/${c.id}`).set('Authorization', auth).send({ phone: '14155551234', first: 'Changed', ...body });
    await expectRejected(t, put({ phone: '+14155551234' }), 400, 'bad_data', 'phone');
    await expectRejected(t, put({ email: 'nope' }), 400, 'bad_data', 'email');
    await expectRejected(t, put({ is_opted_out: 1 }), 400, 'bad_data', 'is_opted_out');
    await expectRejected(t, put({ assignee_id: 0 }), 400, 'bad_data', 'assignee_id');
  });
});

describe('DELETE /v1/contact/{id}', () => {
  it('deletes the contact with its channels and tag links, answers the JSON string "ok", then 404', async () => {
    const { t, auth } = await start();
    const tag = await createTag(t, auth, 'VIP');
    const gone = await createContact(t, auth, { phone: '14155551234', email: 'gone@example.com', tags: [{ tag_id: tag }] });
    const kept = await createContact(t, auth, { phone: '14155559876', email: 'kept@example.com', tags: [{ tag_id: tag }] });
    const keptBefore = await getContact(t, auth, kept.id);

    const res = await t.http.delete(`/v1/contact/${gone.id}`).set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.text).toBe('"ok"');

    expect(t.sql('SELECT id FROM contacts')).toEqual([{ id: kept.id }]);
    expect(t.sql('SELECT DISTINCT contact_id FROM contact_channels')).toEqual([{ contact_id: kept.id }]);
    expect(t.sql('SELECT contact_id, tag_id FROM contact_tags')).toEqual([{ contact_id: kept.id, tag_id: tag }]);
    expect(t.sql('SELECT id FROM tags')).toEqual([{ id: tag }]);
    expect(await getContact(t, auth, kept.id)).toEqual(keptBefore);

    expectApiError(await t.http.get(`/v1/contact/${gone.id}`).set('Authorization', auth), 404, 'not_found');
    await expectRejected(t, () => t.http.delete(`/v1/contact/${gone.id}`).set('Authorization', auth), 404, 'not_found', 'id');
    // The phone is free for a new contact.
    await createContact(t, auth, { phone: '14155551234' });
  });

  it('answers 400 naming id for a non-integer id, deleting nothing', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, { phone: '14155551234' });
    await expectRejected(t, () => t.http.delete('/v1/contact/abc').set('Authorization', auth), 400, 'bad_data', 'id');
  });
});
