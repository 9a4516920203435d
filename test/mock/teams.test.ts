import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET_ID } from '../../src/config.js';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectApiError, expectRejected, mintToken, startApp, storeSnapshot, type TestApp } from '../support/app.js';

// POST/GET/DELETE /__mock/teams and the credential routes (control-plane.md, "Teams: a tenant per
// test run"), over HTTP. A created team is used exactly as a client would: with its credentials.

interface Creds {
  id: number;
  name: string;
  api_secrets: Array<{ secret_id: string; secret_key: string }>;
  api_keys: string[];
  members: Array<{ id: number; first_name: string; last_name: string; email: string; role_id: number }>;
  inboxes: Array<{ id: number; name: string; type: string; phone?: string; email?: string; toll_free?: boolean; members: number[] }>;
  created: string;
}

async function create(t: TestApp, body?: unknown): Promise<Creds> {
  const req = t.http.post('/__mock/teams');
  const res = body === undefined ? await req : await req.send(body as object);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Creds;
}

/** A JWT from the team's first API Secret, iat = the app's real time. */
const jwt = async (t: TestApp, c: { api_secrets: Array<{ secret_id: string; secret_key: string }> }, i = 0) =>
  `Bearer ${await mintToken({ secretId: c.api_secrets[i]!.secret_id, secretKey: c.api_secrets[i]!.secret_key, iat: Math.floor(t.wall.now() / 1000) })}`;
const key = (c: Creds) => `Bearer ${c.api_keys[0]}`;

/** Team 1's own rows of every table: what a request about another team must leave alone. */
function rowsOf(t: TestApp, teamId: number) {
  const all = storeSnapshot(t);
  return Object.fromEntries(Object.entries(all).map(([table, rows]) => [table, (rows as Array<Record<string, unknown>>).filter((r) => (table === 'teams' ? r.id : r.team_id) === teamId)]));
}

describe('POST /__mock/teams', () => {
  it('an empty body gives a team shaped like the default team, with ids, numbers and credentials of its own', async () => {
    const t = await startApp();
    const c = await create(t);
    expect(c).toEqual({
      id: 2,
      name: 'Mock Team 2',
      api_secrets: [{ secret_id: expect.any(String), secret_key: expect.any(String) }],
      api_keys: [expect.any(String)],
      members: [
        { id: 20, first_name: 'Alice', last_name: 'Admin', email: 'alice@team-2.example', role_id: 1 },
        { id: 21, first_name: 'Bob', last_name: 'Member', email: 'bob@team-2.example', role_id: 4 },
        { id: 22, first_name: 'Carol', last_name: 'Email', email: 'carol@team-2.example', role_id: 4 },
      ],
      inboxes: [
        { id: 200, name: 'Support', type: 'sms', phone: expect.stringMatching(/^1415\d{7}$/), toll_free: false, members: [20, 21] },
        { id: 201, name: 'Marketing (toll-free)', type: 'sms', phone: expect.stringMatching(/^1888\d{7}$/), toll_free: true, members: [20, 21] },
        { id: 202, name: 'Email', type: 'email', email: 'support@team-2.example', members: [20, 22] },
      ],
      created: '2026-01-15T12:00:00.000Z',
    });
    expect(c.api_secrets[0]!.secret_id).not.toBe(DEFAULT_SECRET_ID);
    expect(c.api_keys[0]).not.toBe(DEFAULT_API_KEY);

    // Its credentials work (JWT and legacy key) and see the team's own inboxes and the two surveys.
    for (const auth of [await jwt(t, c), key(c)]) {
      const team = await t.http.get('/v1/team').set('Authorization', auth);
      expect(team.status, JSON.stringify(team.body)).toBe(200);
      expect(team.body.id).toBe(2);
    }
    const inboxes = await t.http.get('/v1/inboxes').set('Authorization', key(c));
    expect(inboxes.body.map((i: { id: number }) => i.id)).toEqual([200, 201, 202]);
    const surveys = await t.http.post('/v1/surveys').set('Authorization', key(c)).send({});
    expect(surveys.status, JSON.stringify(surveys.body)).toBe(200);
    expect(JSON.stringify(surveys.body)).toContain('Post-purchase NPS');

    // A second team gets other ids, other numbers, other credentials.
    const d = await create(t);
    expect(d.id).toBe(3);
    expect(d.members.map((m) => m.id)).toEqual([30, 31, 32]);
    expect(d.inboxes.map((i) => i.id)).toEqual([300, 301, 302]);
    const numbers = [c, d].flatMap((x) => x.inboxes.map((i) => i.phone).filter(Boolean));
    expect(new Set([...numbers, '14155550100', '18885550100']).size).toBe(numbers.length + 2);
    expect(d.api_secrets[0]!.secret_id).not.toBe(c.api_secrets[0]!.secret_id);
    expect(d.api_keys[0]).not.toBe(c.api_keys[0]);
    for (const x of [c, d]) for (const e of [...x.members.map((m) => m.email), ...x.inboxes.map((i) => i.email ?? '')]) expect(e).not.toMatch(/heymarket-mock\.test$/);
  });

  it('takes the next free ids when the team-based block is taken', async () => {
    const t = await startApp();
    await create(t, { id: 5, members: [{ id: 60, first_name: 'Taken', email: 'x@five.example', phone: '14155559000' }], inboxes: [], surveys: [] });
    const c = await create(t);
    expect(c.id).toBe(6);
    expect(c.members.map((m) => m.id)).toEqual([61, 62, 63]);
    expect(c.inboxes.map((i) => i.id)).toEqual([600, 601, 602]);
  });

  it('HEYMARKET_MOCK_ID_SEED makes the generated credentials reproducible', async () => {
    const credentials = async () => {
      const t = await startApp({ idSeed: 'repro' }, { ids: undefined });
      const c = await create(t);
      return { secrets: c.api_secrets, keys: c.api_keys, phones: c.inboxes.map((i) => i.phone) };
    };
    expect(await credentials()).toEqual(await credentials());
  });

  it('a seed-format body creates exactly that team: given ids, credentials, fields, tags and contacts', async () => {
    const t = await startApp();
    const c = await create(t, {
      id: 7,
      name: 'Acme',
      api_secrets: [{ secret_id: 'acme-id', secret_key: 'acme-key' }],
      api_keys: ['acme-api-key'],
      members: [{ id: 70, first_name: 'Dana', last_name: 'Owner', email: 'dana@acme.test', phone: '14155550170', role_id: 1 }],
      inboxes: [{ id: 700, name: 'Acme SMS', phone: '14155550700', members: [70] }],
      fields: [{ title: 'Account' }],
      tags: [{ tag: 'VIP', color: '#FFD700' }],
      contacts: [{ phone: '14155550999', first: 'Pat', last: 'Lee', custom: { Account: 'A-1' }, tags: ['VIP'] }],
      surveys: [],
    });
    expect(c).toMatchObject({ id: 7, name: 'Acme', api_secrets: [{ secret_id: 'acme-id', secret_key: 'acme-key' }], api_keys: ['acme-api-key'] });
    expect(c.inboxes).toEqual([{ id: 700, name: 'Acme SMS', type: 'sms', phone: '14155550700', toll_free: false, members: [70] }]);
    const auth = await jwt(t, c);
    const contacts = await t.http.post('/v1/contacts').set('Authorization', auth).send({});
    expect(contacts.body).toHaveLength(1);
    expect(contacts.body[0]).toMatchObject({ phone: '14155550999', first: 'Pat', tags: [{ tag: 'VIP' }] });
    expect(Object.values(contacts.body[0].custom)).toEqual(['A-1']);
    expect((await t.http.post('/v1/surveys').set('Authorization', auth).send({})).body).toEqual([]);
  });

  it('a partial body keeps its parts and generates the rest (given members sit in every generated inbox)', async () => {
    const t = await startApp();
    const c = await create(t, { name: 'Only a name', members: [{ id: 90, first_name: 'Solo', email: 'solo@solo.example', phone: '14155550190' }] });
    expect(c.name).toBe('Only a name');
    expect(c.members.map((m) => m.id)).toEqual([90]);
    expect(c.inboxes.map((i) => i.members)).toEqual([[90], [90], [90]]);
    expect(c.api_secrets).toHaveLength(1);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const post = (body: unknown) => () => t.http.post('/__mock/teams').send(body as object);
    const member = { id: 80, first_name: 'M', email: 'm@x.example', phone: '14155550180' };
    await expectRejected(t, post({ members: [{ ...member, phone: '+14155550180' }] }), 400, 'bad_data', 'members[0].phone');
    await expectRejected(t, post({ colour: 'red' }), 400, 'bad_data', null);
    await expectRejected(t, post({ id: 2 }), 400, 'bad_data', 'id');
    await expectRejected(t, post({ members: [{ ...member, id: 21 }] }), 400, 'bad_data', 'members[0].id');
    await expectRejected(t, post({ api_keys: [TEAM2.apiKey] }), 400, 'bad_data', 'api_keys[0]');
    await expectRejected(t, post({ api_secrets: [{ secret_id: DEFAULT_SECRET_ID, secret_key: 'k' }] }), 400, 'bad_data', 'api_secrets[0].secret_id');
    await expectRejected(t, post({ api_secrets: [1, 2, 3].map((i) => ({ secret_id: `s${i}`, secret_key: 'k' })) }), 400, 'bad_data', 'api_secrets');
    await expectRejected(t, post({ inboxes: [{ id: 10, name: 'Dup', phone: '14155550900' }], members: [member] }), 400, 'bad_data', 'inboxes[0].id');
    await expectRejected(t, post({ members: [member], inboxes: [{ id: 800, name: 'X', phone: '14155550800', members: [1] }] }), 400, 'bad_data', 'inboxes[0].members[0]');
    await expectRejected(t, post({ members: [member], inboxes: [{ id: 800, name: 'X', type: 'email' }] }), 400, 'bad_data', 'inboxes[0].email');
    await expectRejected(t, post({ contacts: [{ phone: '14155551234', tags: ['Nope'] }] }), 400, 'bad_data', 'contacts[0].tags[0]');
    await expectRejected(t, post({ contacts: [{ phone: '14155551234' }, { phone: '14155551234' }] }), 400, 'bad_data', 'contacts[1].phone');
    await expectRejected(t, post({ members: [member, member] }), 400, 'bad_data', 'members[1].id');
    await expectRejected(t, post({ state: { nope: [] } }), 400, 'bad_data', 'members');
    expect(t.sql('SELECT id FROM teams ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('is admin-scoped: needs X-Mock-Admin-Token once one is set', async () => {
    const t = await startApp({ adminToken: 'tok' });
    await expectRejected(t, () => t.http.post('/__mock/teams'), 401, 'unauthorized');
    expectApiError(await t.http.get('/__mock/teams'), 401, 'unauthorized');
    expectApiError(await t.http.delete('/__mock/teams/1'), 401, 'unauthorized');
    const res = await t.http.post('/__mock/teams').set('X-Mock-Admin-Token', 'tok');
    expect(res.status).toBe(201);
  });
});

describe('GET /__mock/teams', () => {
  it('lists every team as Team credentials objects by id, and one by id (404 unknown)', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const c = await create(t);
    const list = await t.http.get('/__mock/teams');
    expect(list.status).toBe(200);
    expect(list.body.map((x: Creds) => x.id)).toEqual([1, 2, 3]);
    expect(list.body[2]).toEqual(c);
    expect(list.body[1]).toMatchObject({ id: 2, api_keys: [TEAM2.apiKey], inboxes: [{ id: 20, type: 'sms', phone: '14155550200', members: [21, 22] }] });
    expect(list.body[0].inboxes[2]).toEqual({ id: 12, name: 'Email', type: 'email', email: 'support@example.com', members: [1, 3] });
    expect((await t.http.get('/__mock/teams/3')).body).toEqual(c);
    expectApiError(await t.http.get('/__mock/teams/99'), 404, 'not_found', 'id');
    expectApiError(await t.http.get('/__mock/teams/abc'), 400, 'bad_data', 'id');
  });
});

describe('DELETE /__mock/teams/{id}', () => {
  it('removes the team and all it owns; its credentials answer 401 from the next request', async () => {
    const t = await startApp();
    const c = await create(t);
    const auth = await jwt(t, c);
    expect((await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551234' })).status).toBe(200);
    await t.http.post('/v1/tag').set('Authorization', key(c)).send({ tag: 'gone' });
    const before = rowsOf(t, 1);

    const res = await t.http.delete(`/__mock/teams/${c.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiError(await t.http.get('/v1/team').set('Authorization', auth), 401, 'unauthorized'); // a JWT verified (and cached) before
    expectApiError(await t.http.get('/v1/team').set('Authorization', key(c)), 401, 'unauthorized');
    for (const [table, rows] of Object.entries(storeSnapshot(t))) {
      if (table === 'teams') expect(rows.map((r) => (r as { id: number }).id)).toEqual([1]);
      else expect((rows as Array<{ team_id?: number }>).filter((r) => r.team_id === c.id), table).toEqual([]);
    }
    expect(rowsOf(t, 1)).toEqual(before);
    expectApiError(await t.http.get(`/__mock/teams/${c.id}`), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete(`/__mock/teams/${c.id}`), 404, 'not_found', 'id');
  });

  it("drops the team's clock: a team created again with that id starts from the start setting", async () => {
    const t = await startApp();
    const c = await create(t);
    t.clockOf(c.id).advance(3_600_000);
    await t.http.delete(`/__mock/teams/${c.id}`);
    const again = await create(t, { id: c.id });
    expect(again.created).toBe('2026-01-15T12:00:00.000Z');
  });
});

describe('credential rotation', () => {
  it('adds a second API Secret, refuses a third, revokes one (its JWTs 401 at once)', async () => {
    const t = await startApp();
    const c = await create(t);
    const first = await jwt(t, c);
    expect((await t.http.get('/v1/team').set('Authorization', first)).status).toBe(200);

    const added = await t.http.post(`/__mock/teams/${c.id}/secrets`);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ secret_id: expect.any(String), secret_key: expect.any(String) });
    const second = await jwt(t, { api_secrets: [added.body] });
    expect((await t.http.get('/v1/team').set('Authorization', second)).body.id).toBe(c.id);
    expect((await t.http.get(`/__mock/teams/${c.id}`)).body.api_secrets).toEqual([c.api_secrets[0], added.body]);

    await expectRejected(t, () => t.http.post(`/__mock/teams/${c.id}/secrets`), 400, 'bad_data', 'api_secrets');

    const revoked = await t.http.delete(`/__mock/teams/${c.id}/secrets/${c.api_secrets[0]!.secret_id}`);
    expect(revoked.status).toBe(204);
    expectApiError(await t.http.get('/v1/team').set('Authorization', first), 401, 'unauthorized');
    expect((await t.http.get('/v1/team').set('Authorization', second)).status).toBe(200);

    await expectRejected(t, () => t.http.delete(`/__mock/teams/${c.id}/secrets/${c.api_secrets[0]!.secret_id}`), 404, 'not_found', 'secret_id');
    // Another team's Secret is not this team's to revoke.
    await expectRejected(t, () => t.http.delete(`/__mock/teams/${c.id}/secrets/${DEFAULT_SECRET_ID}`), 404, 'not_found', 'secret_id');
    await expectRejected(t, () => t.http.post('/__mock/teams/99/secrets'), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete(`/__mock/teams/99/secrets/x`), 404, 'not_found', 'id');
  });

  it('rolling the legacy key replaces every key the team held with one new key; the old ones 401 at once', async () => {
    const t = await startApp();
    const c = await create(t, { api_keys: ['old-one', 'old-two'] });
    expect((await t.http.get('/v1/team').set('Authorization', 'Bearer old-two')).status).toBe(200);
    const res = await t.http.post(`/__mock/teams/${c.id}/api-key`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ api_key: expect.any(String) });
    for (const old of ['old-one', 'old-two']) expectApiError(await t.http.get('/v1/team').set('Authorization', `Bearer ${old}`), 401, 'unauthorized');
    expect((await t.http.get('/v1/team').set('Authorization', `Bearer ${res.body.api_key}`)).body.id).toBe(c.id);
    expect((await t.http.get(`/__mock/teams/${c.id}`)).body.api_keys).toEqual([res.body.api_key]);
    // Team 1 keeps its key.
    expect((await t.http.get('/v1/team').set('Authorization', `Bearer ${DEFAULT_API_KEY}`)).body.id).toBe(1);
    await expectRejected(t, () => t.http.post('/__mock/teams/99/api-key'), 404, 'not_found', 'id');
  });
});

describe('POST /__mock/reset and API-created teams', () => {
  async function changed() {
    const t = await startApp();
    const one = await t.auth();
    expect((await t.http.post('/v1/contact').set('Authorization', one).send({ phone: '14155551234', first: 'One' })).status).toBe(200);
    const c = await create(t, { fields: [{ title: 'Plan' }], tags: [{ tag: 'VIP' }], contacts: [{ phone: '14155550999', first: 'Pat', custom: { Plan: 'gold' }, tags: ['VIP'] }] });
    const auth = key(c);
    const created = (await t.http.post('/v2/contacts/list').set('Authorization', auth).send({})).body;
    await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551235' });
    await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'extra' });
    await t.http.post('/v1/users/update').set('Authorization', auth).send({ users: [{ id: c.members[0]!.id, first_name: 'Changed' }] });
    await t.http.post(`/__mock/teams/${c.id}/secrets`);
    return { t, c, created, one };
  }

  it('team credentials put an API-created team back exactly as created, touching no other team', async () => {
    const { t, c, created } = await changed();
    const teamOne = rowsOf(t, 1);
    const res = await t.http.post('/__mock/reset').set('Authorization', key(c));
    expect(res.body).toEqual({ status: 'reset', team: c.id });
    expect((await t.http.get(`/__mock/teams/${c.id}`)).body).toEqual(c);
    const contacts = (await t.http.post('/v2/contacts/list').set('Authorization', key(c)).send({})).body;
    // The seeded contact is back with its uuid, custom value and tag (the store gives it a new id: ids continue).
    expect(contacts.contacts ?? contacts).toHaveLength(1);
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"(id|contact_id|tag_id)":\d+/g, '"$1":0').replace(/"custom":\{"\d+"/g, '"custom":{"0"'));
    expect(strip(contacts)).toEqual(strip(created));
    expect(t.sql('SELECT tag FROM tags WHERE team_id = ?', c.id)).toEqual([{ tag: 'VIP' }]);
    expect(rowsOf(t, 1)).toEqual(teamOne);
  });

  it('admin ?team=ID does the same; an admin reset of everything removes API-created teams', async () => {
    const { t, c } = await changed();
    const teamOne = rowsOf(t, 1);
    expect((await t.http.post(`/__mock/reset?team=${c.id}`)).body).toEqual({ status: 'reset', team: c.id });
    expect((await t.http.get(`/__mock/teams/${c.id}`)).body).toEqual(c);
    expect(rowsOf(t, 1)).toEqual(teamOne);

    expect((await t.http.post('/__mock/reset')).body).toEqual({ status: 'reset', team: null });
    expect((await t.http.get('/__mock/teams')).body.map((x: Creds) => x.id)).toEqual([1]);
    expectApiError(await t.http.get('/v1/team').set('Authorization', key(c)), 401, 'unauthorized');
    expectApiError(await t.http.post(`/__mock/reset?team=${c.id}`), 404, 'not_found', 'team');
  });
});

describe('parallel teams', () => {
  it('two teams provisioned in parallel, with interleaved traffic, see only their own data', async () => {
    const t = await startApp();
    const [a, b] = await Promise.all([create(t), create(t)]);
    expect(a!.id).not.toBe(b!.id);
    const auths = [key(a!), await jwt(t, b!)];
    // The same phone number, tag label and list in both teams, written alternately.
    await Promise.all(
      [0, 1, 2].flatMap((i) =>
        auths.map(async (auth, k) => {
          const res = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: `1415555300${i}`, first: `team${k}-${i}` });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
        }),
      ),
    );
    for (const [k, auth] of auths.entries()) {
      await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: `tag-${k}` });
      const inbox = (k === 0 ? a : b)!.inboxes[0]!.id;
      const member = (k === 0 ? a : b)!.members[0]!.id;
      const sent = await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: inbox, creator_id: member, phone_number: '14155553000', text: `from ${k}` });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    }
    for (const [k, auth] of auths.entries()) {
      const contacts = (await t.http.post('/v1/contacts').set('Authorization', auth).send({})).body as Array<{ first: string }>;
      expect(contacts.map((x) => x.first).sort()).toEqual([0, 1, 2].map((i) => `team${k}-${i}`));
      expect((await t.http.post('/v1/tags').set('Authorization', auth).send({})).body.map((x: { tag: string }) => x.tag)).toEqual([`tag-${k}`]);
      const messages = (await t.http.post('/v1/messages/all').set('Authorization', auth).send({})).body as Array<{ text: string }>;
      expect(messages.map((m) => m.text)).toEqual([`from ${k}`]);
      // Nor can one team reach the other's inbox.
      const other = (k === 0 ? b : a)!;
      const res = await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: other.inboxes[0]!.id, creator_id: other.members[0]!.id, phone_number: '14155553001', text: 'x' });
      expect(res.status).toBe(400);
    }
  });
});
