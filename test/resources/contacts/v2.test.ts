import { describe, expect, it } from 'vitest';
import { explainChannelSearch } from '../../../src/resources/contacts/store.js';
import { TEAM2, team2, writeSeed } from '../../db/fixtures.js';
import { expectRejected, startApp, T0, type TestApp } from '../../support/app.js';
import { expectEachOnce, pageByDate } from '../../support/paging.js';

// The v2 contact surface (contacts-v2.md, validation rules 21-25, gaps C9-C14): UUID paths,
// contact_channels, bulk upsert/delete, list, indexed search, and its consistency with v1 and
// between tenants. Every rejection also proves the store did not change.

// ---------------------------------------------------------------------------------------------
// Helpers (kept in this file: the v2 suite owns only v2*.test.ts)
// ---------------------------------------------------------------------------------------------

type Res = { status: number; body: any; headers: Record<string, string> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** RFC 3339 of T0 + ms: writes keep true times, so a write on the frozen clock is at(), one after `t.clock.advance(ms)` at(ms). */
const at = (ms = 0) => new Date(T0 + ms).toISOString();
const UNKNOWN_UUID = '0badc0de-0000-4000-8000-00000000beef';

/** Phone numbers used across the suite (valid NANP numbers, E.164 without '+'). */
const P1 = '14155551001';
const P2 = '14155551002';
const P3 = '14155551003';
const P4 = '14155551004';
const P5 = '14155551005';

function client(t: TestApp, auth: string) {
  const withBody = <R extends { set: (k: string, v: string) => R; send: (b: any) => R }>(r: R, body?: unknown) => {
    const req = r.set('Authorization', auth);
    return body === undefined ? req : req.send(body as object);
  };
  return {
    get: (path: string) => t.http.get(path).set('Authorization', auth),
    post: (path: string, body?: unknown) => withBody(t.http.post(path), body),
    put: (path: string, body?: unknown) => withBody(t.http.put(path), body),
    del: (path: string, body?: unknown) => withBody(t.http.delete(path), body),
  };
}
type Api = ReturnType<typeof client>;

async function start(config: Parameters<typeof startApp>[0] = {}) {
  const t = await startApp(config);
  const auth = await t.auth();
  return { t, api: client(t, auth) };
}

/** Every table a contact write can touch, straight from the store. */
function snapshot(t: TestApp) {
  return {
    contacts: t.sql('SELECT * FROM contacts ORDER BY id'),
    contact_channels: t.sql('SELECT * FROM contact_channels ORDER BY id'),
    contact_tags: t.sql('SELECT * FROM contact_tags ORDER BY contact_id, position'),
  };
}

async function ok200(p: PromiseLike<Res>): Promise<any> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function createV2(api: Api, body: Record<string, unknown>): Promise<{ id: number; rev: number; uuid: string }> {
  return ok200(api.post('/v2/contact', body));
}
async function createV1(api: Api, body: Record<string, unknown>): Promise<{ id: number; rev: number; uuid: string }> {
  return ok200(api.post('/v1/contact', body));
}
const getV2 = (api: Api, uuid: string) => ok200(api.get(`/v2/contact/${uuid}`));
const getV1 = (api: Api, id: number) => ok200(api.get(`/v1/contact/${id}`));

const phone = (v: string) => ({ channel_type: 'phone', channel_id: v });
const email = (v: string) => ({ channel_type: 'email', channel_id: v });

async function createTag(api: Api, tag: string): Promise<number> {
  return (await ok200(api.post('/v1/tag', { tag }))).id;
}
async function createField(api: Api, title: string): Promise<number> {
  return (await ok200(api.post('/v1/contacts/fields', [{ title }])))[0].id;
}

/** The channel rows of a contact as (type, value) pairs, in stored order. */
function channelRows(t: TestApp, contactId: number) {
  return t.sql<{ channel_type: string; channel_id: string }>(
    'SELECT channel_type, channel_id FROM contact_channels WHERE contact_id = ? ORDER BY id',
    contactId,
  );
}
function contactRow(t: TestApp, id: number) {
  return t.sql<{ phone: string | null; email: string; rev: number; updated: number; first: string; last: string }>(
    'SELECT * FROM contacts WHERE id = ?',
    id,
  )[0]!;
}
const pairs = (list: Array<{ channel_type: string; channel_id: string }>) => list.map((c) => [c.channel_type, c.channel_id]);

// ---------------------------------------------------------------------------------------------
// POST /v2/contact
// ---------------------------------------------------------------------------------------------

describe('POST /v2/contact', () => {
  it('creates a contact from channels, answers {id, rev: 1, uuid}, and GET returns the v1 Contact plus contact_channels', async () => {
    const { t, api } = await start();
    const res = await api.post('/v2/contact', {
      contact_channels: [phone(P1), email('ada@example.com')],
      first: 'Ada',
      last: 'Lovelace',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ id: expect.any(Number), rev: 1, uuid: expect.stringMatching(UUID) });
    expect(Object.keys(res.body).sort()).toEqual(['id', 'rev', 'uuid']);
    const { id, uuid } = res.body;

    const rows = t.sql<{ id: number }>('SELECT id FROM contact_channels ORDER BY id');
    expect(rows).toHaveLength(2);
    const got = await getV2(api, uuid);
    expect(got).toEqual({
      id,
      uuid,
      display_name: 'Ada Lovelace',
      first: 'Ada',
      last: 'Lovelace',
      email: 'ada@example.com',
      phone: P1,
      avatar: '',
      custom: {},
      team_id: 1,
      creator_id: 1,
      assigned_user_id: 0,
      shared: true,
      created: at(),
      updated: at(),
      rev: 1,
      op: 'create',
      tags: [],
      is_opted_out: false,
      external_id: '',
      external_ref: '',
      inbox_id: 0,
      parent_id: 0,
      type: 'contact',
      note: [],
      contact_channels: [
        { id: rows[0]!.id, team_id: 1, contact_id: uuid, channel_type: 'phone', channel_id: P1, channel_handle: '', info_channel: '', created: at(), updated: at() },
        { id: rows[1]!.id, team_id: 1, contact_id: uuid, channel_type: 'email', channel_id: 'ada@example.com', channel_handle: '', info_channel: '', created: at(), updated: at() },
      ],
    });
    expect(t.sql('SELECT id, team_id, uuid, phone, email, rev, op FROM contacts')).toEqual([
      { id, team_id: 1, uuid, phone: P1, email: 'ada@example.com', rev: 1, op: 'create' },
    ]);
  });

  it('stores channels in order; phone/email mirror the FIRST channel of each type; handle and info_channel are kept', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, {
      contact_channels: [
        email('first@example.com'),
        { channel_type: 'facebook', channel_id: 'fb-123', channel_handle: 'ada.l', info_channel: 'page-9' },
        phone(P1),
        phone(P2),
        email('second@example.com'),
        { channel_type: 'whatsapp_business', channel_id: 'wa-1' },
      ],
    });
    const got = await getV2(api, uuid);
    expect(pairs(got.contact_channels)).toEqual([
      ['email', 'first@example.com'],
      ['facebook', 'fb-123'],
      ['phone', P1],
      ['phone', P2],
      ['email', 'second@example.com'],
      ['whatsapp_business', 'wa-1'],
    ]);
    const ids = got.contact_channels.map((c: { id: number }) => c.id);
    expect([...ids].sort((a: number, b: number) => a - b)).toEqual(ids);
    expect(got.contact_channels[1]).toMatchObject({ channel_handle: 'ada.l', info_channel: 'page-9' });
    expect(got.phone).toBe(P1);
    expect(got.email).toBe('first@example.com');
    const v1 = await getV1(api, id);
    expect(v1).toMatchObject({ phone: P1, email: 'first@example.com' });
    expect(v1.contact_channels).toBeUndefined();
    expect(pairs(channelRows(t, id))).toEqual(pairs(got.contact_channels));
  });

  it('turns body phone/email into channels: appended after contact_channels unless already present', async () => {
    const { t, api } = await start();
    // phone already present (exact), email already present (other case): nothing appended.
    const a = await createV2(api, { contact_channels: [phone(P1), email('Ada@Example.com')], phone: P1, email: 'ada@example.com' });
    expect(pairs(channelRows(t, a.id))).toEqual([['phone', P1], ['email', 'Ada@Example.com']]);
    // new values are appended after the given channels; the first channel of each type stays primary.
    const b = await createV2(api, { contact_channels: [phone(P2), { channel_type: 'facebook', channel_id: 'fb' }], phone: P3, email: 'bob@example.com' });
    expect(pairs(channelRows(t, b.id))).toEqual([['phone', P2], ['facebook', 'fb'], ['phone', P3], ['email', 'bob@example.com']]);
    expect(await getV1(api, b.id)).toMatchObject({ phone: P2, email: 'bob@example.com' });
    // only non-phone channels: the body phone becomes the contact's phone.
    const c = await createV2(api, { contact_channels: [email('cy@example.com')], phone: P4 });
    expect(pairs(channelRows(t, c.id))).toEqual([['email', 'cy@example.com'], ['phone', P4]]);
    expect(await getV1(api, c.id)).toMatchObject({ phone: P4, email: 'cy@example.com' });
  });

  it('accepts an email-only contact: phone is "" on v1 and v2 and NULL in the store', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, { contact_channels: [email('only@example.com')] });
    expect((await getV2(api, uuid)).phone).toBe('');
    expect((await getV1(api, id)).phone).toBe('');
    expect(contactRow(t, id).phone).toBeNull();
    // A second email-only contact does not collide on the (team, phone) unique index.
    await createV2(api, { contact_channels: [email('other@example.com')] });
  });

  it('stores the optional ContactRequest fields: names, custom, tags, assignee, opt-out, avatar', async () => {
    const { t, api } = await start();
    const plan = await createField(api, 'Plan');
    const vip = await createTag(api, 'VIP');
    const gold = await createTag(api, 'Gold');
    const { uuid, id } = await createV2(api, {
      contact_channels: [phone(P1)],
      first: 'Grace',
      last: 'Hopper',
      custom: { [String(plan)]: 'Premium' },
      tags: [{ tag_id: gold }, { tag_id: vip }],
      assignee_id: 2,
      is_opted_out: true,
      avatar: 'https://img.example.com/g.png',
    });
    const got = await getV2(api, uuid);
    expect(got).toMatchObject({
      display_name: 'Grace Hopper',
      first: 'Grace',
      last: 'Hopper',
      custom: { [String(plan)]: 'Premium' },
      assigned_user_id: 2,
      is_opted_out: true,
      avatar: 'https://img.example.com/g.png',
    });
    expect(got.tags.map((x: { id: number }) => x.id)).toEqual([gold, vip]);
    expect(t.sql('SELECT tag_id FROM contact_tags WHERE contact_id = ? ORDER BY position', id)).toEqual([{ tag_id: gold }, { tag_id: vip }]);
  });

  it('rejects bodies without valid contact_channels (rule 21), naming the field and storing nothing', async () => {
    const { t, api } = await start();
    await createV2(api, { contact_channels: [phone(P5)] }); // the store is not empty
    const cases: Array<[unknown, string]> = [
      [{ first: 'No channels' }, 'contact_channels'],
      [{ contact_channels: null }, 'contact_channels'],
      [{ contact_channels: [] }, 'contact_channels'],
      [{ contact_channels: 'phone' }, 'contact_channels'],
      [{ contact_channels: [{ channel_id: P1 }] }, 'contact_channels[0].channel_type'],
      [{ contact_channels: [{ channel_type: 'phone' }] }, 'contact_channels[0].channel_id'],
      [{ contact_channels: [phone(P1), { channel_type: 'email' }] }, 'contact_channels[1].channel_id'],
      [{ contact_channels: [{ channel_type: 'phone', channel_id: 14155551001 }] }, 'contact_channels[0].channel_id'],
      [{ contact_channels: [{ channel_type: 'id', channel_id: UNKNOWN_UUID }] }, 'contact_channels[0].channel_type'],
      [{ contact_channels: [{ channel_type: 'Phone', channel_id: P1 }] }, 'contact_channels[0].channel_type'],
      [{ contact_channels: [{ channel_type: '', channel_id: 'x' }] }, 'contact_channels[0].channel_type'],
      [{ contact_channels: [phone('+14155551001')] }, 'contact_channels[0].channel_id'],
      [{ contact_channels: [phone('1415555100a')] }, 'contact_channels[0].channel_id'],
      [{ contact_channels: [phone('123')] }, 'contact_channels[0].channel_id'],
      [{ contact_channels: [phone(P1), email('not-an-email')] }, 'contact_channels[1].channel_id'],
      [{ contact_channels: [{ channel_type: 'facebook', channel_id: '' }] }, 'contact_channels[0].channel_id'],
      [{ contact_channels: [{ channel_type: 'facebook', channel_id: '   ' }] }, 'contact_channels[0].channel_id'],
      [{ contact_channels: [phone(P1)], phone: '+14155551001' }, 'phone'],
      [{ contact_channels: [phone(P1)], email: 'nope' }, 'email'],
    ];
    for (const [body, field] of cases) {
      await expectRejected(t, () => api.post('/v2/contact', body), 400, 'bad_data', field);
    }
  });

  it('rejects bad references like v1 does: >5 tags, unknown tag, unknown custom field, non-member assignee', async () => {
    const { t, api } = await start();
    const tagIds: number[] = [];
    for (let i = 0; i < 6; i++) tagIds.push(await createTag(api, `t${i}`));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ tags: tagIds.map((tag_id) => ({ tag_id })) }, 'tags'],
      [{ tags: [{ tag_id: 9999 }] }, 'tags[0].tag_id'],
      [{ custom: { '9999': 'x' } }, 'custom.9999'],
      [{ custom: { Plan: 'x' } }, 'custom.Plan'],
      [{ assignee_id: 99 }, 'assignee_id'],
    ];
    for (const [extra, field] of cases) {
      await expectRejected(t, () => api.post('/v2/contact', { contact_channels: [phone(P1)], ...extra }), 400, 'bad_data', field);
    }
  });

  it('a phone belongs to one contact per team: v1 phone, v2 channel or secondary phone channel → 400; emails may be shared', async () => {
    const { t, api } = await start();
    await createV1(api, { phone: P1, email: 'shared@example.com' });
    await createV2(api, { contact_channels: [phone(P2), phone(P3)] }); // P3 is a secondary phone channel
    await expectRejected(t, () => api.post('/v2/contact', { contact_channels: [phone(P1)] }), 400, 'bad_data', 'contact_channels[0].channel_id');
    await expectRejected(t, () => api.post('/v2/contact', { contact_channels: [phone(P2)] }), 400, 'bad_data', 'contact_channels[0].channel_id');
    const res = await expectRejected(
      t,
      () => api.post('/v2/contact', { contact_channels: [email('x@example.com'), phone(P4), phone(P3)] }),
      400,
      'bad_data',
      'contact_channels[2].channel_id',
    );
    expect(res.body.message).toContain(P3);
    await expectRejected(t, () => api.post('/v2/contact', { contact_channels: [email('y@example.com')], phone: P3 }), 400, 'bad_data', 'phone');
    // v1 create of a number held only as a v2 secondary channel is refused too.
    await expectRejected(t, () => api.post('/v1/contact', { phone: P3 }), 400, 'bad_data', 'phone');

    // Emails are not unique: two more contacts with the same address are fine.
    await createV2(api, { contact_channels: [email('shared@example.com')] });
    await createV2(api, { contact_channels: [email('SHARED@example.com'), phone(P5)] });
    expect(t.sql("SELECT COUNT(*) AS n FROM contact_channels WHERE lower(channel_id) = 'shared@example.com'")).toEqual([{ n: 3 }]);
  });
});

// ---------------------------------------------------------------------------------------------
// GET / PUT / DELETE /v2/contact/{uuid}
// ---------------------------------------------------------------------------------------------

describe('v2 contactID path parameter', () => {
  const endpoints = (id: string): Array<[string, (api: Api) => PromiseLike<Res>]> => [
    ['GET contact', (api) => api.get(`/v2/contact/${id}`)],
    ['PUT contact', (api) => api.put(`/v2/contact/${id}`, { first: 'X' })],
    ['DELETE contact', (api) => api.del(`/v2/contact/${id}`)],
    ['POST channel', (api) => api.post(`/v2/contact/${id}/channel`, email('z@example.com'))],
    ['PUT channel', (api) => api.put(`/v2/contact/${id}/channel`, phone(P4))],
    ['GET channels', (api) => api.get(`/v2/contact/${id}/channels`)],
    ['GET channel/{type}', (api) => api.get(`/v2/contact/${id}/channel/phone`)],
    ['DELETE channel/{type}', (api) => api.del(`/v2/contact/${id}/channel/phone`)],
  ];

  it('an integer v1 id is a 400 on every id-addressed endpoint, naming contactID and pointing at the v1 id', async () => {
    const { t, api } = await start();
    const { id } = await createV2(api, { contact_channels: [phone(P1)] });
    for (const [name, send] of endpoints(String(id))) {
      const res = await expectRejected(t, () => send(api), 400, 'bad_data', 'contactID');
      expect(res.body.message, name).toMatch(/v1/);
      expect(res.body.message, name).toContain(String(id));
      expect(res.body.message, name).toMatch(/uuid/i);
    }
  });

  it('a malformed contactID is a 400 and an unknown UUID a 404 on every id-addressed endpoint', async () => {
    const { t, api } = await start();
    await createV2(api, { contact_channels: [phone(P1)] });
    for (const bad of ['not-a-uuid', '0badc0de-0000-4000-8000-00000000beef0', 'zzzzzzzz-0000-4000-8000-000000000001']) {
      for (const [, send] of endpoints(bad)) await expectRejected(t, () => send(api), 400, 'bad_data', 'contactID');
    }
    for (const [name, send] of endpoints(UNKNOWN_UUID)) {
      const res = await expectRejected(t, () => send(api), 404, 'not_found');
      expect(res.body.message, name).toContain(UNKNOWN_UUID);
    }
  });

  it('an uppercase UUID addresses the same contact', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, { contact_channels: [phone(P1)] });
    const upper = uuid.toUpperCase();
    expect((await getV2(api, upper)).id).toBe(id);
    expect((await ok200(api.get(`/v2/contact/${upper}/channels`))).map((c: { contact_id: string }) => c.contact_id)).toEqual([uuid]);
    expect((await ok200(api.put(`/v2/contact/${upper}`, { first: 'Up' }))).uuid).toBe(uuid);
    expect(await ok200(api.del(`/v2/contact/${upper}`))).toBe('ok');
    expect(t.sql('SELECT * FROM contacts')).toEqual([]);
  });
});

describe('PUT /v2/contact/{uuid}', () => {
  it('answers the full v2 Contact; phone is optional; omitted fields keep their values; rev and updated move', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, {
      contact_channels: [phone(P1), email('a@example.com'), { channel_type: 'facebook', channel_id: 'fb-1' }],
      first: 'Ann',
      last: 'Lee',
      avatar: 'https://img.example.com/a.png',
    });
    const before = await getV2(api, uuid);
    t.clock.advance(1);
    const res = await api.put(`/v2/contact/${uuid}`, { first: 'Anna' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      ...before,
      first: 'Anna',
      display_name: 'Anna Lee', // derived display names follow the names
      rev: 2,
      op: 'update',
      updated: at(1),
    });
    expect(before.updated).toBe(at());
    expect(res.body.contact_channels).toEqual(before.contact_channels);
    expect(await getV2(api, uuid)).toEqual(res.body);
    expect(contactRow(t, id)).toMatchObject({ rev: 2, first: 'Anna', phone: P1 });
  });

  it('phone/email change the first channel of that type, keeping the channel id and the other channels', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, { contact_channels: [phone(P1), phone(P2), email('a@example.com'), email('b@example.com')] });
    const before = await getV2(api, uuid);
    t.clock.advance(1);
    const res = await ok200(api.put(`/v2/contact/${uuid}`, { phone: P3, email: 'c@example.com' }));
    expect(res.phone).toBe(P3);
    expect(res.email).toBe('c@example.com');
    expect(pairs(res.contact_channels)).toEqual([['phone', P3], ['phone', P2], ['email', 'c@example.com'], ['email', 'b@example.com']]);
    expect(res.contact_channels.map((c: { id: number }) => c.id)).toEqual(before.contact_channels.map((c: { id: number }) => c.id));
    expect(res.contact_channels[0].created).toBe(before.contact_channels[0].created);
    expect([before.contact_channels[0].updated, res.contact_channels[0].updated]).toEqual([at(), at(1)]);
    // An untouched channel keeps its time.
    expect(res.contact_channels[1].updated).toBe(at());
    expect(contactRow(t, id)).toMatchObject({ phone: P3, email: 'c@example.com' });
  });

  it('email "" drops the first email channel (the next one becomes the email); a phone on an email-only contact adds a channel', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, { contact_channels: [email('a@example.com'), email('b@example.com')] });
    const dropped = await ok200(api.put(`/v2/contact/${uuid}`, { email: '' }));
    expect(dropped.email).toBe('b@example.com');
    expect(pairs(dropped.contact_channels)).toEqual([['email', 'b@example.com']]);
    const withPhone = await ok200(api.put(`/v2/contact/${uuid}`, { phone: P1 }));
    expect(withPhone.phone).toBe(P1);
    expect(pairs(withPhone.contact_channels)).toEqual([['email', 'b@example.com'], ['phone', P1]]);
    expect(contactRow(t, id)).toMatchObject({ phone: P1, email: 'b@example.com', rev: 3 });
    expect((await getV1(api, id)).phone).toBe(P1);
  });

  it('merges custom by default and replaces it with ?overwrite=true (gap C9); names are always overwritten', async () => {
    const { api } = await start();
    const plan = String(await createField(api, 'Plan'));
    const tier = String(await createField(api, 'Tier'));
    const { uuid } = await createV2(api, { contact_channels: [phone(P1)], first: 'A', last: 'B', custom: { [plan]: 'Basic', [tier]: '1' } });
    const merged = await ok200(api.put(`/v2/contact/${uuid}`, { custom: { [plan]: 'Premium' }, last: 'C' }));
    expect(merged.custom).toEqual({ [plan]: 'Premium', [tier]: '1' });
    expect(merged.last).toBe('C');
    const explicitFalse = await ok200(api.put(`/v2/contact/${uuid}?overwrite=false`, { custom: { [tier]: '2' } }));
    expect(explicitFalse.custom).toEqual({ [plan]: 'Premium', [tier]: '2' });
    const replaced = await ok200(api.put(`/v2/contact/${uuid}?overwrite=true`, { custom: { [tier]: '3' }, first: 'Z' }));
    expect(replaced.custom).toEqual({ [tier]: '3' });
    expect(replaced.first).toBe('Z');
    expect((await getV2(api, uuid)).custom).toEqual({ [tier]: '3' });
  });

  it('replaces tags, sets opt-out, and assignee_id -1 unassigns', async () => {
    const { t, api } = await start();
    const a = await createTag(api, 'A');
    const b = await createTag(api, 'B');
    const c = await createTag(api, 'C');
    const { id, uuid } = await createV2(api, { contact_channels: [phone(P1)], tags: [{ tag_id: a }, { tag_id: b }], assignee_id: 2 });
    const res = await ok200(api.put(`/v2/contact/${uuid}`, { tags: [{ tag_id: c }, { tag_id: a }], is_opted_out: true }));
    expect(res.tags.map((x: { id: number }) => x.id)).toEqual([c, a]);
    expect(res.is_opted_out).toBe(true);
    expect(res.assigned_user_id).toBe(2);
    expect(t.sql('SELECT tag_id FROM contact_tags WHERE contact_id = ? ORDER BY position', id)).toEqual([{ tag_id: c }, { tag_id: a }]);
    const unassigned = await ok200(api.put(`/v2/contact/${uuid}`, { assignee_id: -1 }));
    expect(unassigned.assigned_user_id).toBe(0);
    expect(unassigned.tags.map((x: { id: number }) => x.id)).toEqual([c, a]);
  });

  it('rejects what v1 update rejects, and a phone owned by another contact, changing nothing', async () => {
    const { t, api } = await start();
    const tagIds: number[] = [];
    for (let i = 0; i < 6; i++) tagIds.push(await createTag(api, `t${i}`));
    await createV1(api, { phone: P2 });
    await createV2(api, { contact_channels: [email('o@example.com'), phone(P4), phone(P3)] });
    const { uuid } = await createV2(api, { contact_channels: [phone(P1)] });
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['', { tags: tagIds.map((tag_id) => ({ tag_id })) }, 'tags'],
      ['', { tags: [{ tag_id: 9999 }] }, 'tags[0].tag_id'],
      ['', { tags: [{ tag_id: 'x' }] }, 'tags[0].tag_id'],
      ['', { custom: { '9999': 'x' } }, 'custom.9999'],
      ['', { custom: { Plan: 'x' } }, 'custom.Plan'],
      ['', { assignee_id: 99 }, 'assignee_id'],
      ['', { assignee_id: 0 }, 'assignee_id'],
      ['', { phone: '+14155551001' }, 'phone'],
      ['', { phone: P2 }, 'phone'],
      ['', { phone: P3 }, 'phone'], // a secondary phone channel of another contact
      ['', { email: 'bad' }, 'email'],
      ['', { is_opted_out: 'yes' }, 'is_opted_out'],
      ['?overwrite=maybe', { first: 'X' }, 'overwrite'],
    ];
    for (const [query, body, field] of cases) {
      await expectRejected(t, () => api.put(`/v2/contact/${uuid}${query}`, body), 400, 'bad_data', field);
    }
  });
});

describe('DELETE /v2/contact/{uuid}', () => {
  it('answers "ok" and removes the contact with its channels and tags; other contacts stay', async () => {
    const { t, api } = await start();
    const tag = await createTag(api, 'VIP');
    const keep = await createV2(api, { contact_channels: [phone(P2)], tags: [{ tag_id: tag }] });
    const gone = await createV2(api, { contact_channels: [phone(P1), email('g@example.com')], tags: [{ tag_id: tag }] });
    const res = await api.del(`/v2/contact/${gone.uuid}`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(t.sql('SELECT id FROM contacts')).toEqual([{ id: keep.id }]);
    expect(t.sql('SELECT * FROM contact_channels WHERE contact_id = ?', gone.id)).toEqual([]);
    expect(t.sql('SELECT * FROM contact_tags WHERE contact_id = ?', gone.id)).toEqual([]);
    expect(channelRows(t, keep.id)).toEqual([{ channel_type: 'phone', channel_id: P2 }]);
    expect(t.sql('SELECT contact_id FROM contact_tags')).toEqual([{ contact_id: keep.id }]);
    expect(t.sql('SELECT id FROM tags')).toEqual([{ id: tag }]);
    await expectRejected(t, () => api.get(`/v2/contact/${gone.uuid}`), 404, 'not_found');
    await expectRejected(t, () => api.del(`/v2/contact/${gone.uuid}`), 404, 'not_found');
    // The freed phone can be used again.
    await createV2(api, { contact_channels: [phone(P1)] });
  });
});

// ---------------------------------------------------------------------------------------------
// Channels: /v2/contact/{uuid}/channel(s)
// ---------------------------------------------------------------------------------------------

describe('v2 contact channels', () => {
  it('GET channels lists every channel in order; GET channel/{type} returns the first of that type (gap C12)', async () => {
    const { t, api } = await start();
    const { uuid } = await createV2(api, { contact_channels: [email('e1@example.com'), phone(P1), phone(P2), email('e2@example.com')] });
    const contact = await getV2(api, uuid);
    const list = await ok200(api.get(`/v2/contact/${uuid}/channels`));
    expect(list).toEqual(contact.contact_channels);
    expect(pairs(list)).toEqual([['email', 'e1@example.com'], ['phone', P1], ['phone', P2], ['email', 'e2@example.com']]);
    expect(await ok200(api.get(`/v2/contact/${uuid}/channel/phone`))).toEqual(list[1]);
    expect(await ok200(api.get(`/v2/contact/${uuid}/channel/email`))).toEqual(list[0]);
    await expectRejected(t, () => api.get(`/v2/contact/${uuid}/channel/facebook`), 404, 'not_found');
    await expectRejected(t, () => api.get(`/v2/contact/${uuid}/channel/id`), 400, 'bad_data', 'channelType');
    await expectRejected(t, () => api.get(`/v2/contact/${uuid}/channel/Phone`), 400, 'bad_data', 'channelType');
  });

  it('POST channel adds a channel, answers the updated list, bumps rev/updated and fills v1 email/phone when first of its type', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, { contact_channels: [email('e1@example.com')] });
    const v0 = await getV2(api, uuid);

    t.clock.advance(1);
    const afterPhone = await api.post(`/v2/contact/${uuid}/channel`, phone(P1));
    expect(afterPhone.status, JSON.stringify(afterPhone.body)).toBe(200);
    expect(pairs(afterPhone.body)).toEqual([['email', 'e1@example.com'], ['phone', P1]]);
    expect(afterPhone.body[1]).toEqual({
      id: expect.any(Number),
      team_id: 1,
      contact_id: uuid,
      channel_type: 'phone',
      channel_id: P1,
      channel_handle: '',
      info_channel: '',
      created: at(1),
      updated: at(1),
    });
    const v1 = await getV2(api, uuid);
    expect(v1.rev).toBe(v0.rev + 1);
    expect(v1.op).toBe('update');
    expect([v0.updated, v1.updated]).toEqual([at(), at(1)]);
    expect(v1.phone).toBe(P1);
    expect((await getV1(api, id)).phone).toBe(P1);

    // A second phone and email do not change the primary values.
    await ok200(api.post(`/v2/contact/${uuid}/channel`, phone(P2)));
    const list = await ok200(api.post(`/v2/contact/${uuid}/channel`, { channel_type: 'email', channel_id: 'e2@example.com', channel_handle: 'h', info_channel: 'i' }));
    expect(pairs(list)).toEqual([['email', 'e1@example.com'], ['phone', P1], ['phone', P2], ['email', 'e2@example.com']]);
    expect(list[3]).toMatchObject({ channel_handle: 'h', info_channel: 'i' });
    const v3 = await getV2(api, uuid);
    expect(v3.rev).toBe(v0.rev + 3);
    expect(v3).toMatchObject({ phone: P1, email: 'e1@example.com' });
    expect(contactRow(t, id)).toMatchObject({ phone: P1, email: 'e1@example.com', rev: v0.rev + 3 });
  });

  it('POST channel refuses a duplicate on the contact, a phone owned by another contact, and invalid input', async () => {
    const { t, api } = await start();
    await createV1(api, { phone: P2 });
    await createV2(api, { contact_channels: [email('o@example.com'), phone(P4), phone(P3)] });
    const { uuid } = await createV2(api, { contact_channels: [phone(P1), email('me@example.com'), { channel_type: 'facebook', channel_id: 'fb-1' }] });
    const path = `/v2/contact/${uuid}/channel`;
    const cases: Array<[unknown, string]> = [
      [phone(P1), 'channel_id'], // already on this contact
      [email('ME@example.com'), 'channel_id'], // same address, other case
      [{ channel_type: 'facebook', channel_id: 'fb-1' }, 'channel_id'],
      [phone(P2), 'channel_id'], // owned by a v1 contact
      [phone(P3), 'channel_id'], // a secondary phone of another contact
      [phone('+14155551009'), 'channel_id'],
      [email('nope'), 'channel_id'],
      [{ channel_type: 'facebook', channel_id: '' }, 'channel_id'],
      [{ channel_id: P5 }, 'channel_type'],
      [{ channel_type: 'phone' }, 'channel_id'],
      [{ channel_type: 'id', channel_id: UNKNOWN_UUID }, 'channel_type'],
      [{ channel_type: 'Email', channel_id: 'x@example.com' }, 'channel_type'],
    ];
    for (const [body, field] of cases) await expectRejected(t, () => api.post(path, body), 400, 'bad_data', field);
    // Another contact may add an email that this one has (emails are not unique).
    const other = await createV2(api, { contact_channels: [phone(P5)] });
    await ok200(api.post(`/v2/contact/${other.uuid}/channel`, email('me@example.com')));
  });

  it('PUT channel changes the value of the first channel of that type, answers the list, keeps v1 phone in step', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, { contact_channels: [phone(P1), email('e@example.com'), phone(P2)] });
    const before = await getV2(api, uuid);
    t.clock.advance(1);
    const list = await ok200(api.put(`/v2/contact/${uuid}/channel`, phone(P3)));
    expect(pairs(list)).toEqual([['phone', P3], ['email', 'e@example.com'], ['phone', P2]]);
    expect(list.map((c: { id: number }) => c.id)).toEqual(before.contact_channels.map((c: { id: number }) => c.id));
    expect(list[0].created).toBe(before.contact_channels[0].created);
    expect([before.contact_channels[0].updated, list[0].updated]).toEqual([at(), at(1)]);
    expect(list[1]).toEqual(before.contact_channels[1]);
    const after = await getV2(api, uuid);
    expect(after.rev).toBe(before.rev + 1);
    expect([before.updated, after.updated]).toEqual([at(), at(1)]);
    expect(after.phone).toBe(P3);
    expect((await getV1(api, id)).phone).toBe(P3);
    // The old number is free again.
    await createV1(api, { phone: P1 });

    // handle/info_channel may be changed alongside.
    const emailList = await ok200(api.put(`/v2/contact/${uuid}/channel`, { channel_type: 'email', channel_id: 'new@example.com', channel_handle: 'nh' }));
    expect(emailList[1]).toMatchObject({ channel_id: 'new@example.com', channel_handle: 'nh' });
    expect((await getV1(api, id)).email).toBe('new@example.com');
  });

  it('PUT channel: no channel of that type → 404; a phone of another contact or an invalid value → 400; nothing changes', async () => {
    const { t, api } = await start();
    await createV2(api, { contact_channels: [phone(P2), phone(P3)] });
    const { uuid } = await createV2(api, { contact_channels: [phone(P1)] });
    const path = `/v2/contact/${uuid}/channel`;
    await expectRejected(t, () => api.put(path, email('x@example.com')), 404, 'not_found');
    await expectRejected(t, () => api.put(path, { channel_type: 'facebook', channel_id: 'fb' }), 404, 'not_found');
    await expectRejected(t, () => api.put(path, phone(P2)), 400, 'bad_data', 'channel_id');
    await expectRejected(t, () => api.put(path, phone(P3)), 400, 'bad_data', 'channel_id');
    await expectRejected(t, () => api.put(path, phone('+14155551009')), 400, 'bad_data', 'channel_id');
    await expectRejected(t, () => api.put(path, { channel_type: 'phone' }), 400, 'bad_data', 'channel_id');
    await expectRejected(t, () => api.put(path, { channel_id: P4 }), 400, 'bad_data', 'channel_type');
    await expectRejected(t, () => api.put(path, { channel_type: 'id', channel_id: UNKNOWN_UUID }), 400, 'bad_data', 'channel_type');
  });

  it('DELETE channel/{type} removes the first of that type; v1 phone falls to the next phone channel, then ""; the last channel may go (C13)', async () => {
    const { t, api } = await start();
    const { id, uuid } = await createV2(api, { contact_channels: [phone(P1), email('e1@example.com'), phone(P2), email('e2@example.com')] });
    const r0 = (await getV2(api, uuid)).rev;

    const res = await api.del(`/v2/contact/${uuid}/channel/phone`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
    expect(pairs(channelRows(t, id))).toEqual([['email', 'e1@example.com'], ['phone', P2], ['email', 'e2@example.com']]);
    let v1 = await getV1(api, id);
    expect(v1.phone).toBe(P2);
    expect(v1.rev).toBe(r0 + 1);
    // The removed number is free for another contact.
    await createV1(api, { phone: P1 });

    await ok200(api.del(`/v2/contact/${uuid}/channel/phone`));
    v1 = await getV1(api, id);
    expect(v1.phone).toBe('');
    expect(contactRow(t, id).phone).toBeNull();
    expect(v1.rev).toBe(r0 + 2);
    await expectRejected(t, () => api.del(`/v2/contact/${uuid}/channel/phone`), 404, 'not_found');

    await ok200(api.del(`/v2/contact/${uuid}/channel/email`));
    expect((await getV1(api, id)).email).toBe('e2@example.com');
    const before = await getV2(api, uuid);
    t.clock.advance(1);
    await ok200(api.del(`/v2/contact/${uuid}/channel/email`));
    const last = await getV2(api, uuid);
    expect(last.contact_channels).toEqual([]);
    expect(last).toMatchObject({ phone: '', email: '', rev: before.rev + 1 });
    expect([before.updated, last.updated]).toEqual([at(), at(1)]);
    expect(await ok200(api.get(`/v2/contact/${uuid}/channels`))).toEqual([]);
    expect(t.sql('SELECT id FROM contacts WHERE id = ?', id)).toEqual([{ id }]);
    await expectRejected(t, () => api.del(`/v2/contact/${uuid}/channel/id`), 400, 'bad_data', 'channelType');
  });
});

// ---------------------------------------------------------------------------------------------
// POST /v2/contacts (bulk create or update)
// ---------------------------------------------------------------------------------------------

describe('POST /v2/contacts', () => {
  it('creates items without contact_id and updates items with one, answering {contacts: [v2 Contact], failed_contacts: []}', async () => {
    const { t, api } = await start();
    const existing = await createV2(api, { contact_channels: [phone(P1), { channel_type: 'facebook', channel_id: 'fb-old' }], first: 'Old' });
    const res = await api.post('/v2/contacts', {
      contacts: [
        { contact_channels: [phone(P2), email('n@example.com')], first: 'New' },
        { contact_id: existing.uuid, first: 'Updated', contact_channels: [phone(P3), email('u@example.com')] },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['contacts', 'failed_contacts']);
    expect(res.body.failed_contacts).toEqual([]);
    expect(res.body.contacts).toHaveLength(2);
    const [created, updated] = res.body.contacts;
    expect(created).toMatchObject({ first: 'New', phone: P2, email: 'n@example.com', rev: 1, op: 'create', team_id: 1 });
    expect(created.uuid).toMatch(UUID);
    expect(pairs(created.contact_channels)).toEqual([['phone', P2], ['email', 'n@example.com']]);
    // The first channel of each type takes the new value; a type the contact lacked is added.
    expect(updated).toMatchObject({ id: existing.id, uuid: existing.uuid, first: 'Updated', phone: P3, email: 'u@example.com', op: 'update' });
    expect(pairs(updated.contact_channels)).toEqual([['phone', P3], ['facebook', 'fb-old'], ['email', 'u@example.com']]);
    expect(await getV2(api, existing.uuid)).toEqual(updated);
    expect(await getV2(api, created.uuid)).toEqual(created);
    expect(contactRow(t, existing.id)).toMatchObject({ phone: P3, email: 'u@example.com', first: 'Updated' });
    // The old number is free again.
    await createV1(api, { phone: P1 });
  });

  it('a bulk update item is one write: rev goes up by exactly one, even with channels', async () => {
    const { api } = await start();
    const c = await createV2(api, { contact_channels: [phone(P1)] });
    const plain = await ok200(api.post('/v2/contacts', { contacts: [{ contact_id: c.uuid, last: 'X' }] }));
    expect(plain.contacts[0].rev).toBe(2);
    const res = await ok200(api.post('/v2/contacts', { contacts: [{ contact_id: c.uuid, last: 'Y', contact_channels: [phone(P2)] }] }));
    expect(res.contacts[0]).toMatchObject({ last: 'Y', phone: P2 });
    expect(res.contacts[0].rev).toBe(3);
    expect((await getV2(api, c.uuid)).rev).toBe(3);
  });

  it('reports bad items in failed_contacts {contact: <input item>, error, field} and never half-writes them', async () => {
    const { t, api } = await start();
    const tag = await createTag(api, 'VIP');
    const owner = await createV2(api, { contact_channels: [phone(P1)], first: 'Owner' });
    const target = await createV2(api, { contact_channels: [phone(P2), email('t@example.com')], first: 'Target', tags: [{ tag_id: tag }] });
    const before = snapshot(t);

    const items = [
      { contact_channels: [phone(P3)], first: 'Good' }, // 0 ok
      { first: 'No channels' }, // 1 create needs channels
      { contact_id: target.uuid, first: 'Half', contact_channels: [email('half@example.com'), phone(P1)] }, // 2 phone of another contact
      { contact_id: UNKNOWN_UUID, first: 'Ghost' }, // 3 unknown contact
      { contact_channels: [phone(P4)], tags: [{ tag_id: 9999 }] }, // 4 unknown tag, after a valid channel
      { contact_channels: [phone('+14155551005')] }, // 5 invalid channel value
      'not an object', // 6
      { contact_id: '42', first: 'v1 id' }, // 7 v1 id is not a UUID
      { contact_id: target.uuid, tags: [{ tag_id: 9999 }], custom: {}, first: 'Half again' }, // 8 bad tag on update
      { contact_channels: [phone(P3)] }, // 9 P3 was taken by item 0
      { contact_id: target.uuid, last: 'Fine' }, // 10 ok
    ];
    const res = await api.post('/v2/contacts', { contacts: items });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.contacts.map((c: { first: string; last: string }) => `${c.first}|${c.last}`)).toEqual(['Good|', 'Target|Fine']);
    const failed = res.body.failed_contacts as Array<{ contact: unknown; error: string; field?: string }>;
    expect(failed.map((f) => f.contact)).toEqual([items[1], items[2], items[3], items[4], items[5], items[6], items[7], items[8], items[9]]);
    for (const f of failed) {
      expect(typeof f.error).toBe('string');
      expect(f.error.length).toBeGreaterThan(0);
      expect(Object.keys(f).every((k) => ['contact', 'error', 'field'].includes(k))).toBe(true);
    }
    expect(failed.map((f) => f.field)).toEqual([
      '[1].contact_channels',
      '[2].contact_channels[1].channel_id',
      expect.any(String), // [3]: see 'names contact_id for an unknown contact_id item'
      '[4].tags[0].tag_id',
      '[5].contact_channels[0].channel_id',
      expect.any(String),
      '[7].contact_id',
      '[8].tags[0].tag_id',
      '[9].contact_channels[0].channel_id',
    ]);
    expect(failed[2]!.error).toContain(UNKNOWN_UUID);
    for (const f of failed) if (f !== failed[2]) expect(f.error.startsWith(`${f.field}: `), f.error).toBe(true);

    // Store: one new contact (item 0); the target changed only through item 10; nothing else.
    const after = snapshot(t);
    expect(after.contacts).toHaveLength(before.contacts.length + 1);
    expect(t.sql('SELECT first, phone FROM contacts WHERE id NOT IN (?, ?)', owner.id, target.id)).toEqual([{ first: 'Good', phone: P3 }]);
    expect(contactRow(t, owner.id)).toEqual(before.contacts[0]);
    expect(contactRow(t, target.id)).toMatchObject({ first: 'Target', last: 'Fine', phone: P2, email: 't@example.com' });
    expect(pairs(channelRows(t, target.id))).toEqual([['phone', P2], ['email', 't@example.com']]);
    expect(t.sql('SELECT tag_id FROM contact_tags WHERE contact_id = ?', target.id)).toEqual([{ tag_id: tag }]);
    expect(t.sql('SELECT COUNT(*) AS n FROM contact_channels WHERE channel_id IN (?, ?)', P4, 'half@example.com')).toEqual([{ n: 0 }]);
  });

  it('names contact_id (the item key) for an unknown contact_id item, with a readable "<field>: <reason>" error', async () => {
    const { t, api } = await start();
    const before = snapshot(t);
    const res = await ok200(api.post('/v2/contacts', { contacts: [{ contact_id: UNKNOWN_UUID, first: 'Ghost' }] }));
    expect(res.contacts).toEqual([]);
    expect(res.failed_contacts).toHaveLength(1);
    const f = res.failed_contacts[0];
    expect(f.error).toContain(UNKNOWN_UUID);
    expect(f.field).toBe('[0].contact_id');
    expect(f.error.startsWith('[0].contact_id: '), f.error).toBe(true);
    expect(snapshot(t)).toEqual(before);
  });

  it('merges custom on update items, and replaces it with ?overwrite=true', async () => {
    const { api } = await start();
    const a = String(await createField(api, 'A'));
    const b = String(await createField(api, 'B'));
    const c = await createV2(api, { contact_channels: [phone(P1)], custom: { [a]: '1', [b]: '1' } });
    const merged = await ok200(api.post('/v2/contacts', { contacts: [{ contact_id: c.uuid, custom: { [a]: '2' } }] }));
    expect(merged.contacts[0].custom).toEqual({ [a]: '2', [b]: '1' });
    const replaced = await ok200(api.post('/v2/contacts?overwrite=true', { contacts: [{ contact_id: c.uuid, custom: { [b]: '3' } }] }));
    expect(replaced.contacts[0].custom).toEqual({ [b]: '3' });
  });

  it('rejects a body without contacts, with a non-array, or with more than 1000 items, writing nothing', async () => {
    const { t, api } = await start();
    await createV2(api, { contact_channels: [phone(P1)] });
    await expectRejected(t, () => api.post('/v2/contacts', {}), 400, 'bad_data', 'contacts');
    await expectRejected(t, () => api.post('/v2/contacts', { contacts: null }), 400, 'bad_data', 'contacts');
    await expectRejected(t, () => api.post('/v2/contacts', { contacts: { contact_channels: [phone(P2)] } }), 400, 'bad_data', 'contacts');
    await expectRejected(t, () => api.post('/v2/contacts', [{ contact_channels: [phone(P2)] }]), 400, 'bad_data');
    await expectRejected(t, () => api.post('/v2/contacts'), 400, 'bad_data');
    const many = Array.from({ length: 1001 }, (_, i) => ({ contact_channels: [email(`u${i}@example.com`)] }));
    await expectRejected(t, () => api.post('/v2/contacts', { contacts: many }), 400, 'bad_data', 'contacts');
    await expectRejected(t, () => api.post('/v2/contacts?overwrite=maybe', { contacts: [{ contact_channels: [phone(P2)] }] }), 400, 'bad_data', 'overwrite');
  });

  it('accepts exactly 1000 items', async () => {
    const { t, api } = await start();
    const many = Array.from({ length: 1000 }, (_, i) => ({ contact_channels: [email(`u${i}@example.com`)] }));
    const res = await ok200(api.post('/v2/contacts', { contacts: many }));
    expect(res.contacts).toHaveLength(1000);
    expect(res.failed_contacts).toEqual([]);
    expect(t.sql('SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 1000 }]);
  });
});

// ---------------------------------------------------------------------------------------------
// DELETE /v2/contacts (bulk delete)
// ---------------------------------------------------------------------------------------------

describe('DELETE /v2/contacts', () => {
  const body = (ids: string[]) => ({ contact_channels: [{ channel_type: 'id', channel_ids: ids }] });

  it('deletes the listed contacts with their channels and tags, answers "ok"; uppercase and repeated UUIDs are fine', async () => {
    const { t, api } = await start();
    const tag = await createTag(api, 'VIP');
    const a = await createV2(api, { contact_channels: [phone(P1)], tags: [{ tag_id: tag }] });
    const b = await createV2(api, { contact_channels: [phone(P2), email('b@example.com')] });
    const keep = await createV2(api, { contact_channels: [phone(P3)], tags: [{ tag_id: tag }] });
    const res = await api.del('/v2/contacts', body([a.uuid, b.uuid.toUpperCase(), a.uuid]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toBe('ok');
    expect(t.sql('SELECT id FROM contacts')).toEqual([{ id: keep.id }]);
    expect(t.sql('SELECT contact_id FROM contact_channels')).toEqual([{ contact_id: keep.id }]);
    expect(t.sql('SELECT contact_id FROM contact_tags')).toEqual([{ contact_id: keep.id }]);
    await expectRejected(t, () => api.get(`/v2/contact/${a.uuid}`), 404, 'not_found');
  });

  it('is all or nothing: an unknown UUID is a 404 naming it, and nothing is deleted', async () => {
    const { t, api } = await start();
    const a = await createV2(api, { contact_channels: [phone(P1)] });
    const b = await createV2(api, { contact_channels: [phone(P2)] });
    const res = await expectRejected(t, () => api.del('/v2/contacts', body([a.uuid, UNKNOWN_UUID, b.uuid])), 404, 'not_found');
    expect(res.body.message).toContain(UNKNOWN_UUID);
    expect(res.body.message).not.toContain(a.uuid);
    expect(t.sql('SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 2 }]);
  });

  it('needs exactly one {channel_type: "id", channel_ids: [UUIDs]} entry (rule 23)', async () => {
    const { t, api } = await start();
    const a = await createV2(api, { contact_channels: [phone(P1)] });
    const b = await createV2(api, { contact_channels: [phone(P2)] });
    const entry = { channel_type: 'id', channel_ids: [a.uuid] };
    const cases: Array<[unknown, string | undefined]> = [
      [{}, 'contact_channels'],
      [{ contact_channels: [] }, 'contact_channels'],
      [{ contact_channels: [entry, { channel_type: 'id', channel_ids: [b.uuid] }] }, 'contact_channels'],
      [{ contact_channels: [{ channel_type: 'phone', channel_ids: [P1] }] }, 'contact_channels[0].channel_type'],
      [{ contact_channels: [{ channel_type: 'uuid', channel_ids: [a.uuid] }] }, 'contact_channels[0].channel_type'],
      [{ contact_channels: [{ channel_ids: [a.uuid] }] }, 'contact_channels[0].channel_type'],
      [{ contact_channels: [{ channel_type: 'id' }] }, 'contact_channels[0].channel_ids'],
      [{ contact_channels: [{ channel_type: 'id', channel_ids: [] }] }, 'contact_channels[0].channel_ids'],
      [{ contact_channels: [{ channel_type: 'id', channel_ids: [a.uuid, String(a.id)] }] }, 'contact_channels[0].channel_ids[1]'],
      [{ contact_channels: [{ channel_type: 'id', channel_ids: ['nope'] }] }, 'contact_channels[0].channel_ids[0]'],
      [{ contact_channels: entry }, 'contact_channels'],
    ];
    for (const [b2, field] of cases) await expectRejected(t, () => api.del('/v2/contacts', b2), 400, 'bad_data', field);
    await expectRejected(t, () => api.del('/v2/contacts'), 400, 'bad_data');
    expect(t.sql('SELECT COUNT(*) AS n FROM contacts')).toEqual([{ n: 2 }]);
  });
});

// ---------------------------------------------------------------------------------------------
// POST /v2/contacts/list
// ---------------------------------------------------------------------------------------------

describe('POST /v2/contacts/list', () => {
  /** c0..c34, the clock moved 1 ms between creates: ci is updated at(i). */
  async function seed35(t: TestApp, api: Api) {
    const made: Array<{ id: number; uuid: string }> = [];
    for (let i = 0; i < 35; i++) {
      if (i > 0) t.clock.advance(1);
      made.push(await createV2(api, { contact_channels: [email(`c${i}@example.com`)], first: `c${i}` }));
    }
    return made;
  }
  const firsts = (list: Array<{ first: string }>) => list.map((c) => c.first);

  it('pages v2 Contacts (with contact_channels) by updated, most recent first, 30 per page by default', async () => {
    const { t, api } = await start();
    await seed35(t, api);
    const first = await ok200(api.post('/v2/contacts/list'));
    expect(first).toHaveLength(30);
    expect(firsts(first.slice(0, 3))).toEqual(['c34', 'c33', 'c32']);
    expect(first[0].contact_channels).toEqual([expect.objectContaining({ channel_type: 'email', channel_id: 'c34@example.com' })]);
    expect(await ok200(api.post('/v2/contacts/list', {}))).toEqual(first);
    const page1 = await ok200(api.post('/v2/contacts/list', { page: 1 }));
    expect(firsts(page1)).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
    expect(await ok200(api.post('/v2/contacts/list', { page: 2 }))).toEqual([]);
    const cursor = await ok200(api.post('/v2/contacts/list', { date: first[29].updated }));
    expect(firsts(cursor)).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
  });

  it('honours limit, ascending and the date cursor; an update moves a contact to the front', async () => {
    const { t, api } = await start();
    const made = await seed35(t, api);
    expect(firsts(await ok200(api.post('/v2/contacts/list', { limit: 3 })))).toEqual(['c34', 'c33', 'c32']);
    expect(firsts(await ok200(api.post('/v2/contacts/list', { limit: 3, page: 2 })))).toEqual(['c28', 'c27', 'c26']);
    expect(firsts(await ok200(api.post('/v2/contacts/list', { limit: 3, ascending: true })))).toEqual(['c0', 'c1', 'c2']);
    const asc = await ok200(api.post('/v2/contacts/list', { limit: 2, ascending: true, date: at(4) }));
    expect(firsts(asc)).toEqual(['c5', 'c6']);
    expect(await ok200(api.post('/v2/contacts/list', { limit: 100 }))).toHaveLength(35);
    t.clock.advance(1);
    await ok200(api.post(`/v2/contact/${made[3]!.uuid}/channel`, phone(P1)));
    const top = await ok200(api.post('/v2/contacts/list', { limit: 2 }));
    expect(firsts(top)).toEqual(['c3', 'c34']);
    expect(pairs(top[0].contact_channels)).toEqual([['email', 'c3@example.com'], ['phone', P1]]);
  });

  it('pages contacts sharing a millisecond in whole runs, never skipping or repeating one; page slices stay exact', async () => {
    const { t, api } = await start();
    // 35 contacts in one bulk request share T0; 4 more at T0+1 ms.
    const bulk = await ok200(api.post('/v2/contacts', { contacts: Array.from({ length: 35 }, (_, i) => ({ first: `t${i}`, contact_channels: [email(`t${i}@example.com`)] })) }));
    t.clock.advance(1);
    for (let i = 0; i < 4; i++) await createV2(api, { first: `n${i}`, contact_channels: [email(`n${i}@example.com`)] });
    const ids = t.sql<{ id: number }>('SELECT id FROM contacts ORDER BY id').map((r) => r.id);
    expect(bulk.contacts.every((c: { updated: string }) => c.updated === at())).toBe(true);

    const pages = await pageByDate((date) => ok200(api.post('/v2/contacts/list', date ? { date } : {})), (c: { id: number; updated: string }) => c.updated, { limit: 30 });
    // 4 at T0+1 and 26 of the T0 run, extended by its other 9; then nothing.
    expect(pages.map((p) => p.length)).toEqual([39, 0]);
    expect(expectEachOnce(pages, ids)).toEqual([...ids].reverse());
    // With page, the same order is cut into exact slices.
    expect(await ok200(api.post('/v2/contacts/list', { page: 0 }))).toHaveLength(30);
    expect((await ok200(api.post('/v2/contacts/list', { page: 1 }))).map((c: { id: number }) => c.id)).toEqual([...ids].reverse().slice(30));
  });

  it('rejects out-of-range paging fields', async () => {
    const { t, api } = await start();
    await createV2(api, { contact_channels: [phone(P1)] });
    const cases: Array<[unknown, string]> = [
      [{ limit: -3 }, 'limit'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 1.5 }, 'limit'],
      [{ page: -1 }, 'page'],
      [{ date: 'yesterday' }, 'date'],
      [{ ascending: 'yes' }, 'ascending'],
    ];
    for (const [b, field] of cases) await expectRejected(t, () => api.post('/v2/contacts/list', b), 400, 'bad_data', field);
  });
});

// ---------------------------------------------------------------------------------------------
// POST /v2/contacts/search
// ---------------------------------------------------------------------------------------------

describe('POST /v2/contacts/search', () => {
  async function fixture(api: Api) {
    const a = await createV2(api, { contact_channels: [phone(P1), email('alice@example.com')], first: 'Alice' });
    const b = await createV2(api, { contact_channels: [email('bob@example.com'), phone(P2), phone(P3)], first: 'Bob' });
    const c = await createV2(api, { contact_channels: [email('Shared@Example.com'), { channel_type: 'facebook', channel_id: 'FB-Carol' }], first: 'Carol' });
    const d = await createV1(api, { phone: P4, email: 'shared@example.com', first: 'Dave' });
    return { a, b, c, d };
  }
  const search = (api: Api, contact_channels: unknown) => ok200(api.post('/v2/contacts/search', { contact_channels }));
  const ids = (list: Array<{ id: number }>) => list.map((c) => c.id);

  it('finds contacts by typed and inferred values, primary or secondary channels, emails case-insensitively', async () => {
    const { api } = await start();
    const { a, b, c, d } = await fixture(api);
    const byPhone = await search(api, [{ channel_type: 'phone', channel_ids: [P1] }]);
    expect(byPhone).toHaveLength(1);
    expect(byPhone[0]).toEqual(await getV2(api, a.uuid));
    expect(ids(await search(api, [{ channel_ids: [P3] }]))).toEqual([b.id]); // inferred, secondary phone
    expect(ids(await search(api, [{ channel_ids: ['BOB@EXAMPLE.COM'] }]))).toEqual([b.id]); // inferred email, case
    expect(ids(await search(api, [{ channel_type: 'email', channel_ids: ['shared@example.com'] }]))).toEqual([c.id, d.id]);
    expect(ids(await search(api, [{ channel_type: 'facebook', channel_ids: ['FB-Carol'] }]))).toEqual([c.id]);
    expect(ids(await search(api, [{ channel_type: 'phone', channel_id: P4 }]))).toEqual([d.id]); // singular channel_id
    expect(ids(await search(api, [{ channel_ids: [P4] }]))).toEqual([d.id]); // a v1-created contact
  });

  it('orders results by contact id without duplicates, across values and entries', async () => {
    const { api } = await start();
    const { a, b, c, d } = await fixture(api);
    const res = await search(api, [
      { channel_ids: ['shared@example.com', P3, P2, 'alice@example.com'] },
      { channel_type: 'phone', channel_ids: [P1, P4] },
      { channel_ids: ['bob@example.com'] },
    ]);
    expect(ids(res)).toEqual([a.id, b.id, c.id, d.id]);
    expect(res.every((x: { contact_channels: unknown[] }) => Array.isArray(x.contact_channels) && x.contact_channels.length > 0)).toBe(true);
  });

  it('answers [] when nothing matches (and matches the exact type: a phone value is not an email)', async () => {
    const { api } = await start();
    await fixture(api);
    expect(await search(api, [{ channel_ids: [P5, 'nobody@example.com'] }])).toEqual([]);
    expect(await search(api, [{ channel_type: 'facebook', channel_ids: ['alice@example.com'] }])).toEqual([]);
    expect(await search(api, [{ channel_type: 'instagram', channel_ids: ['FB-Carol'] }])).toEqual([]);
  });

  it('rejects missing contact_channels, uninferable values, "+" phones, and entries without values (rule 25)', async () => {
    const { t, api } = await start();
    await fixture(api);
    const cases: Array<[unknown, string]> = [
      [{}, 'contact_channels'],
      [{ contact_channels: [] }, 'contact_channels'],
      [{ contact_channels: 'x' }, 'contact_channels'],
      [{ contact_channels: [{ channel_ids: [P1, 'hello'] }] }, 'contact_channels[0].channel_ids[1]'],
      [{ contact_channels: [{ channel_ids: [P1] }, { channel_ids: ['alice@example.com', 'fb-123x'] }] }, 'contact_channels[1].channel_ids[1]'],
      [{ contact_channels: [{ channel_ids: ['+14155551001'] }] }, 'contact_channels[0].channel_ids[0]'],
      [{ contact_channels: [{ channel_type: 'phone', channel_ids: [P1, '+14155551002'] }] }, 'contact_channels[0].channel_ids[1]'],
      [{ contact_channels: [{ channel_type: 'email', channel_ids: ['not-an-email'] }] }, 'contact_channels[0].channel_ids[0]'],
      [{ contact_channels: [{ channel_type: 'phone' }] }, 'contact_channels[0].channel_ids'],
      [{ contact_channels: [{ channel_ids: [] }] }, 'contact_channels[0].channel_ids'],
      [{ contact_channels: [{ channel_ids: [''] }] }, 'contact_channels[0].channel_ids[0]'],
      [{ contact_channels: [{ channel_type: 'id', channel_ids: [UNKNOWN_UUID] }] }, 'contact_channels[0].channel_type'],
    ];
    for (const [b, field] of cases) await expectRejected(t, () => api.post('/v2/contacts/search', b), 400, 'bad_data', field);
    await expectRejected(t, () => api.post('/v2/contacts/search'), 400, 'bad_data');
  });

  it('names channel_id (not channel_ids[n]) when the singular channel_id is the bad value', async () => {
    const { t, api } = await start();
    await fixture(api);
    await expectRejected(t, () => api.post('/v2/contacts/search', { contact_channels: [{ channel_id: '+14155551001' }] }), 400, 'bad_data', 'contact_channels[0].channel_id');
    await expectRejected(
      t,
      () => api.post('/v2/contacts/search', { contact_channels: [{ channel_ids: [P1], channel_id: 'hello' }] }),
      400,
      'bad_data',
      'contact_channels[0].channel_id',
    );
  });

  it('is an index lookup on contact_channels_lookup, never a scan of contact_channels', async () => {
    const { t, api } = await start();
    await fixture(api);
    const db = t.app.mock.db;
    for (const [type, values] of [
      ['phone', [P1]],
      ['phone', [P1, P2, P3]],
      ['email', ['alice@example.com', 'SHARED@example.com']],
      ['facebook', ['FB-Carol']],
    ] as const) {
      const plan = explainChannelSearch(db, 1, type, [...values]);
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.some((d) => d.includes('USING INDEX contact_channels_lookup')), plan.join(' | ')).toBe(true);
      expect(plan.some((d) => /SCAN contact_channels\b/.test(d)), plan.join(' | ')).toBe(false);
      // The lookup uses all three index columns, the value expression included.
      expect(plan.some((d) => d.includes('USING INDEX contact_channels_lookup (team_id=? AND channel_type=? AND <expr>=?)')), plan.join(' | ')).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// v1 ⇄ v2 consistency
// ---------------------------------------------------------------------------------------------

describe('v1 and v2 see the same contacts', () => {
  it('a v2-created contact reads identically on v1 (minus contact_channels)', async () => {
    const { api } = await start();
    const tag = await createTag(api, 'VIP');
    const { id, uuid } = await createV2(api, {
      contact_channels: [phone(P1), email('ada@example.com'), phone(P2)],
      first: 'Ada',
      last: 'L',
      tags: [{ tag_id: tag }],
    });
    const v2 = await getV2(api, uuid);
    const v1 = await getV1(api, id);
    const { contact_channels, ...rest } = v2;
    expect(contact_channels).toHaveLength(3);
    expect(v1).toEqual(rest);
    expect(v1).toMatchObject({ id, uuid, phone: P1, email: 'ada@example.com', first: 'Ada', last: 'L' });
    // v1 lookups by phone find the contact through its secondary phone channel too.
    expect((await ok200(api.post('/v1/contact/get', { phone: P2 }))).id).toBe(id);
  });

  it('a v1-created contact reads on v2 by uuid, with its phone and email as channels', async () => {
    const { api } = await start();
    const { id, uuid } = await createV1(api, { phone: P1, email: 'v1@example.com', first: 'Vee' });
    const v2 = await getV2(api, uuid);
    expect(v2).toMatchObject({ id, uuid, phone: P1, email: 'v1@example.com', first: 'Vee' });
    expect(v2.contact_channels).toEqual([
      expect.objectContaining({ team_id: 1, contact_id: uuid, channel_type: 'phone', channel_id: P1 }),
      expect.objectContaining({ team_id: 1, contact_id: uuid, channel_type: 'email', channel_id: 'v1@example.com' }),
    ]);
    const { contact_channels: _, ...rest } = v2;
    expect(rest).toEqual(await getV1(api, id));
  });

  it('tags, custom and opt-out status written through v1 show on v2, and the reverse', async () => {
    const { api } = await start();
    const field = String(await createField(api, 'Plan'));
    const t1 = await createTag(api, 'One');
    const t2 = await createTag(api, 'Two');
    const { id, uuid } = await createV1(api, { phone: P1 });

    await ok200(api.put(`/v1/contact/${id}`, { phone: P1, tags: [{ tag_id: t1 }], custom: { [field]: 'Gold' } }));
    expect(await ok200(api.post('/v1/contact/set_status', { id, status: 'unsubscribed' }))).toBe('success');
    let v2 = await getV2(api, uuid);
    expect(v2.tags.map((x: { id: number }) => x.id)).toEqual([t1]);
    expect(v2.custom).toEqual({ [field]: 'Gold' });
    expect(v2.is_opted_out).toBe(true);

    v2 = await ok200(api.put(`/v2/contact/${uuid}`, { tags: [{ tag_id: t2 }], custom: { [field]: 'Silver' }, is_opted_out: false }));
    const v1 = await getV1(api, id);
    expect(v1.tags.map((x: { id: number }) => x.id)).toEqual([t2]);
    expect(v1.custom).toEqual({ [field]: 'Silver' });
    expect(v1.is_opted_out).toBe(false);
    expect((await ok200(api.post('/v1/contact/status', { id }))).unsubscribed).toBe(false);
    const { contact_channels: _, ...rest } = v2;
    expect(v1).toEqual(rest);
  });

  it('a v1 phone change moves the v2 phone channel; a v2 channel change moves the v1 phone', async () => {
    const { api } = await start();
    const { id, uuid } = await createV1(api, { phone: P1, email: 'a@example.com' });
    const channelId = (await ok200(api.get(`/v2/contact/${uuid}/channel/phone`))).id;

    await ok200(api.put(`/v1/contact/${id}`, { phone: P2 }));
    const ch = await ok200(api.get(`/v2/contact/${uuid}/channel/phone`));
    expect(ch).toMatchObject({ id: channelId, channel_id: P2 });
    expect(pairs((await getV2(api, uuid)).contact_channels)).toEqual([['phone', P2], ['email', 'a@example.com']]);

    await ok200(api.put(`/v2/contact/${uuid}/channel`, phone(P3)));
    expect((await getV1(api, id)).phone).toBe(P3);
    expect((await ok200(api.post('/v1/contact/get', { phone: P3 }))).id).toBe(id);
    expect((await api.post('/v1/contact/get', { phone: P2 })).status).toBe(404);

    await ok200(api.put(`/v2/contact/${uuid}/channel`, email('b@example.com')));
    expect((await getV1(api, id)).email).toBe('b@example.com');
  });

  it('delete on v2 is a 404 on v1, and delete on v1 is a 404 on v2', async () => {
    const { t, api } = await start();
    const a = await createV2(api, { contact_channels: [phone(P1)] });
    const b = await createV1(api, { phone: P2 });
    await ok200(api.del(`/v2/contact/${a.uuid}`));
    await expectRejected(t, () => api.get(`/v1/contact/${a.id}`), 404, 'not_found');
    await ok200(api.del(`/v1/contact/${b.id}`));
    await expectRejected(t, () => api.get(`/v2/contact/${b.uuid}`), 404, 'not_found');
    await expectRejected(t, () => api.get(`/v2/contact/${b.uuid}/channels`), 404, 'not_found');
    expect(t.sql('SELECT * FROM contact_channels')).toEqual([]);
  });

  it('v1 and v2 lists hold the same contacts in the same order', async () => {
    const { api } = await start();
    await createV1(api, { phone: P1 });
    await createV2(api, { contact_channels: [email('x@example.com')] });
    await createV1(api, { phone: P2 });
    const v1 = await ok200(api.post('/v1/contacts', {}));
    const v2 = await ok200(api.post('/v2/contacts/list', {}));
    expect(v2.map((c: { id: number }) => c.id)).toEqual(v1.map((c: { id: number }) => c.id));
    expect(v2.map(({ contact_channels: _, ...rest }: Record<string, unknown>) => rest)).toEqual(v1);
  });
});

// ---------------------------------------------------------------------------------------------
// Tenant isolation
// ---------------------------------------------------------------------------------------------

describe('v2 tenant isolation', () => {
  const T2_UUID = 'a1b2c3d4-e5f6-4890-abcd-ef1234567890';
  const T2_PHONE = P1;

  async function twoTeams() {
    const seed = writeSeed({
      teams: [
        team2({
          tags: [{ tag: 'Team2 VIP' }],
          fields: [{ title: 'Team2 Plan' }],
          contacts: [{ uuid: T2_UUID, phone: T2_PHONE, email: 'zed@two.example', first: 'Zed', tags: ['Team2 VIP'] }],
        }),
      ],
    });
    const t = await startApp({ seed });
    const api1 = client(t, await t.auth());
    const api2 = client(t, `Bearer ${TEAM2.apiKey}`);
    // Team 2 also adds a channel through the API, so its contact has a secondary phone.
    await ok200(api2.post(`/v2/contact/${T2_UUID}/channel`, phone(P2)));
    return { t, api1, api2 };
  }

  it("team 1 gets 404 on every id-addressed v2 endpoint for team 2's contact, and changes nothing", async () => {
    const { t, api1, api2 } = await twoTeams();
    const sends: Array<[string, () => PromiseLike<Res>]> = [
      ['GET contact', () => api1.get(`/v2/contact/${T2_UUID}`)],
      ['PUT contact', () => api1.put(`/v2/contact/${T2_UUID}`, { first: 'Hijack' })],
      ['DELETE contact', () => api1.del(`/v2/contact/${T2_UUID}`)],
      ['POST channel', () => api1.post(`/v2/contact/${T2_UUID}/channel`, email('evil@example.com'))],
      ['PUT channel', () => api1.put(`/v2/contact/${T2_UUID}/channel`, phone(P3))],
      ['GET channels', () => api1.get(`/v2/contact/${T2_UUID}/channels`)],
      ['GET channel/phone', () => api1.get(`/v2/contact/${T2_UUID}/channel/phone`)],
      ['DELETE channel/phone', () => api1.del(`/v2/contact/${T2_UUID}/channel/phone`)],
      ['GET uppercase', () => api1.get(`/v2/contact/${T2_UUID.toUpperCase()}`)],
    ];
    for (const [name, send] of sends) {
      const res = await expectRejected(t, send, 404, 'not_found');
      expect(res.status, name).toBe(404);
    }
    // Team 2 still sees its untouched contact.
    const own = await getV2(api2, T2_UUID);
    expect(own).toMatchObject({ uuid: T2_UUID, team_id: 2, first: 'Zed', phone: T2_PHONE });
    expect(pairs(own.contact_channels)).toEqual([['phone', T2_PHONE], ['email', 'zed@two.example'], ['phone', P2]]);
    expect(own.contact_channels.every((c: { team_id: number }) => c.team_id === 2)).toBe(true);
  });

  it("bulk update of team 2's UUID fails in failed_contacts; bulk delete of it is a 404 deleting nothing", async () => {
    const { t, api1, api2 } = await twoTeams();
    const mine = await createV2(api1, { contact_channels: [phone(P3)] });
    const before = snapshot(t);
    const item = { contact_id: T2_UUID, first: 'Hijack', contact_channels: [phone(P4)] };
    const res = await ok200(api1.post('/v2/contacts', { contacts: [item] }));
    expect(res.contacts).toEqual([]);
    expect(res.failed_contacts).toEqual([{ contact: item, error: expect.stringContaining(T2_UUID), field: expect.any(String) }]);
    expect(snapshot(t)).toEqual(before);

    const del = { contact_channels: [{ channel_type: 'id', channel_ids: [mine.uuid, T2_UUID] }] };
    const gone = await expectRejected(t, () => api1.del('/v2/contacts', del), 404, 'not_found');
    expect(gone.body.message).toContain(T2_UUID);
    expect((await getV2(api1, mine.uuid)).id).toBe(mine.id);
    expect((await getV2(api2, T2_UUID)).first).toBe('Zed');
  });

  it("search and list never show team 2's contacts; the same phone may exist in both teams", async () => {
    const { t, api1, api2 } = await twoTeams();
    const search1 = (v: unknown) => ok200(api1.post('/v2/contacts/search', { contact_channels: v }));
    expect(await search1([{ channel_ids: [T2_PHONE, P2, 'zed@two.example'] }])).toEqual([]);
    expect(await ok200(api1.post('/v2/contacts/list', {}))).toEqual([]);

    // Team 1 may use team 2's numbers, and each team then finds only its own contact.
    const mine = await createV2(api1, { contact_channels: [phone(T2_PHONE), phone(P2), email('zed@two.example')] });
    const found1 = await search1([{ channel_ids: [T2_PHONE] }]);
    expect(found1.map((c: { uuid: string; team_id: number }) => [c.uuid, c.team_id])).toEqual([[mine.uuid, 1]]);
    expect(found1[0].contact_channels.every((c: { team_id: number }) => c.team_id === 1)).toBe(true);
    const found2 = await ok200(api2.post('/v2/contacts/search', { contact_channels: [{ channel_ids: [T2_PHONE, P2] }] }));
    expect(found2.map((c: { uuid: string }) => c.uuid)).toEqual([T2_UUID]);
    expect((await ok200(api1.post('/v2/contacts/list', {}))).map((c: { uuid: string }) => c.uuid)).toEqual([mine.uuid]);
    expect((await ok200(api2.post('/v2/contacts/list', {}))).map((c: { uuid: string }) => c.uuid)).toEqual([T2_UUID]);
    expect(t.sql('SELECT team_id, COUNT(*) AS n FROM contact_channels WHERE channel_id = ? GROUP BY team_id ORDER BY team_id', T2_PHONE)).toEqual([
      { team_id: 1, n: 1 },
      { team_id: 2, n: 1 },
    ]);
    // Team 2's channel writes are still checked only against team 2.
    await ok200(api2.put(`/v2/contact/${T2_UUID}/channel`, phone(P5)));
    expect((await getV2(api1, mine.uuid)).phone).toBe(T2_PHONE);
  });

  it("team 1 cannot reference team 2's tags, custom fields or members in v2 writes", async () => {
    const { t, api1 } = await twoTeams();
    const t2Tag = t.sql<{ id: number }>('SELECT id FROM tags WHERE team_id = 2')[0]!.id;
    const t2Field = String(t.sql<{ id: number }>('SELECT id FROM contact_fields WHERE team_id = 2')[0]!.id);
    const mine = await createV2(api1, { contact_channels: [phone(P3)] });
    const refs: Array<[Record<string, unknown>, string]> = [
      [{ tags: [{ tag_id: t2Tag }] }, 'tags[0].tag_id'],
      [{ assignee_id: 21 }, 'assignee_id'],
      [{ custom: { [t2Field]: 'x' } }, `custom.${t2Field}`],
    ];
    for (const [extra, field] of refs) {
      await expectRejected(t, () => api1.post('/v2/contact', { contact_channels: [phone(P4)], ...extra }), 400, 'bad_data', field);
      await expectRejected(t, () => api1.put(`/v2/contact/${mine.uuid}`, extra), 400, 'bad_data', field);
    }
  });

  it("the explain plan stays an index lookup for team 2's values too", async () => {
    const { t } = await twoTeams();
    const plan = explainChannelSearch(t.app.mock.db, 2, 'phone', [T2_PHONE]);
    expect(plan.some((d) => d.includes('USING INDEX contact_channels_lookup (team_id=? AND channel_type=? AND <expr>=?)')), plan.join(' | ')).toBe(true);
    expect(plan.some((d) => /SCAN contact_channels\b/.test(d)), plan.join(' | ')).toBe(false);
  });
});
