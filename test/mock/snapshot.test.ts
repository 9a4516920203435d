import { describe, expect, it } from 'vitest';
import { writeSeed } from '../db/fixtures.js';
import { expectApiError, expectRejected, startApp, storeSnapshot, T0, type TestApp } from '../support/app.js';

// GET/PUT /__mock/snapshot (control-plane.md, "State and time"): the team's whole state as one
// document, put back with every answer as it was; the document also recreates a deleted team.

interface Creds {
  id: number;
  api_keys: string[];
  members: Array<{ id: number }>;
  inboxes: Array<{ id: number; type: string; phone?: string }>;
}

type Snapshot = { format: string; team: Record<string, unknown> & { id: number; state: Record<string, Array<Record<string, unknown>>> } };

async function newTeam(t: TestApp, body: object = {}): Promise<{ c: Creds; auth: string }> {
  const res = await t.http.post('/__mock/teams').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { c: res.body, auth: `Bearer ${res.body.api_keys[0]}` };
}

async function ok(res: PromiseLike<{ status: number; body: unknown }>) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Record<string, unknown> & { id: number };
}

/** Contacts (v1 with a custom value and a tag, v2 with an email channel), a list, a template, SMS and email sends, a scheduled send. */
async function fill(t: TestApp, c: Creds, auth: string) {
  const [field] = (await ok(t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }]))) as unknown as Array<{ id: number }>;
  const tag = await ok(t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'VIP', color: '#FFD700' }));
  const pat = await ok(t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155552001', first: 'Pat', custom: { [field!.id]: 'gold' }, tags: [{ tag_id: tag.id }] }));
  const mail = await ok(t.http.post('/v2/contact').set('Authorization', auth).send({ first: 'Mail', contact_channels: [{ channel_type: 'email', channel_id: 'mail@example.com' }] }));
  const list = await ok(t.http.post('/v2/lists').set('Authorization', auth).send({ title: 'L', local_id: 'l1', phones: ['14155552001', '14155552002'] }));
  await ok(t.http.post('/v1/template').set('Authorization', auth).send({ title: 'T', content: { text: 'Hi {{first}}' } }));
  const sms = c.inboxes[0]!;
  const email = c.inboxes.find((i) => i.type === 'email')!;
  const admin = c.members[0]!.id;
  await ok(t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: sms.id, creator_id: admin, phone_number: '14155552001', text: 'Hello Pat' }));
  t.clockOf(c.id).advance(5);
  await ok(t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: sms.id, creator_id: admin, list_id: list.id, local_id: 'b1', text: 'To the list' }));
  await ok(t.http.post('/v1/email/send').set('Authorization', auth).send({ inbox: email.id, creator_id: admin, targets: ['to:mail@example.com'], conv_title: 'Hi', text: '<p>Hi</p>' }));
  const schedule = await ok(
    t.http.post('/v1/schedule').set('Authorization', auth).send({ inbox_id: sms.id, execute_at: new Date(T0 + 86_400_000).toISOString(), phone_number: '14155552003', content: { text: 'later' } }),
  );
  return { pat, mail, list, tag, schedule, sms, admin };
}

type Filled = Awaited<ReturnType<typeof fill>>;

/** Every read a client would make of the team: the raw answer bodies, byte for byte. */
async function reads(t: TestApp, auth: string, f: Filled): Promise<Record<string, string>> {
  const gets = ['/v1/team', '/v1/inboxes', `/v1/contact/${f.pat.id}`, `/v2/contact/${f.mail.uuid as string}`, `/v1/list/${f.list.id}`, `/v1/schedule/${f.schedule.id}`, `/v1/messages?phoneNumber=14155552001&inboxID=${f.sms.id}`];
  const posts = ['/v1/contacts', '/v1/contacts/count', '/v2/contacts/list', '/v1/contact-fields', '/v1/tags', '/v1/lists', '/v1/templates', '/v1/messages/all', '/v1/messages/all/count', '/v1/conversations', '/v1/surveys'];
  const out: Record<string, string> = {};
  for (const path of gets) {
    const res = await t.http.get(path).set('Authorization', auth);
    expect(res.status, `${path} ${res.text}`).toBe(200);
    out[`GET ${path}`] = res.text;
  }
  for (const path of posts) {
    const res = await t.http.post(path).set('Authorization', auth).send({});
    expect(res.status, `${path} ${res.text}`).toBe(200);
    out[`POST ${path}`] = res.text;
  }
  return out;
}

/** Changes of every kind after the snapshot: new, changed and deleted rows, sends, credentials. */
async function change(t: TestApp, c: Creds, auth: string, f: Filled) {
  t.clockOf(c.id).advance(60_000);
  await ok(t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155552009', first: 'New' }));
  await ok(t.http.put(`/v1/contact/${f.pat.id}`).set('Authorization', auth).send({ phone: '14155552001', first: 'Changed', tags: [] }));
  await ok(t.http.delete(`/v1/tag/${f.tag.id}`).set('Authorization', auth));
  await ok(t.http.delete(`/v2/contact/${f.mail.uuid as string}`).set('Authorization', auth));
  await ok(t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: f.sms.id, creator_id: f.admin, phone_number: '14155552001', text: 'After' }));
  await ok(t.http.post('/v2/lists').set('Authorization', auth).send({ title: 'L2', local_id: 'l2', phones: ['14155552004'] }));
  await ok(t.http.delete(`/v1/schedule/${f.schedule.id}`).set('Authorization', auth));
  await ok(t.http.post('/v1/users/update').set('Authorization', auth).send({ users: [{ id: f.admin, first_name: 'Renamed' }] }));
  await ok(t.http.post('/v1/conversations/close').set('Authorization', auth).send({ target: '14155552001', inbox_id: f.sms.id, user_id: f.admin }));
}

describe('GET /__mock/snapshot', () => {
  it('is the format tag and the team: seed-format parts and every row it owns, without team_id', async () => {
    const t = await startApp();
    const { c, auth } = await newTeam(t);
    const f = await fill(t, c, auth);
    const res = await t.http.get('/__mock/snapshot').set('Authorization', auth);
    expect(res.status).toBe(200);
    const snap = res.body as Snapshot;
    expect(snap.format).toBe('heymarket-mock/snapshot@1');
    expect(snap.team).toMatchObject({ id: c.id, name: 'Mock Team 2', list_size: 10000, created: '2026-01-15T12:00:00.000Z', api_keys: c.api_keys, contacts: [] });
    expect((snap.team.members as Array<{ id: number }>).map((m) => m.id)).toEqual(c.members.map((m) => m.id));
    const state = snap.team.state;
    // Every team-owned table is there, found from the database (a new table would be too).
    const owned = t.sql<{ name: string }>("SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'team_id') ORDER BY m.name");
    expect(Object.keys(state).sort()).toEqual(owned.map((r) => r.name));
    const pat = state.contacts!.find((r) => r.id === f.pat.id)!;
    expect(pat).toMatchObject({ uuid: f.pat.uuid, phone: '14155552001', first: 'Pat', unsubscribed: false, rev: 1, created: T0 });
    expect(pat).not.toHaveProperty('team_id');
    expect(Object.values(pat.custom as object)).toEqual(['gold']); // JSON columns as JSON
    for (const table of ['contact_channels', 'contact_tags', 'tags', 'contact_fields', 'lists', 'list_members', 'templates', 'conversations', 'messages', 'schedules', 'send_keys', 'broadcasts']) {
      expect(state[table]!.length, table).toBeGreaterThan(0);
    }
    // Only this team's rows.
    expect(state.inboxes!.map((r) => r.id)).toEqual(c.inboxes.map((i) => i.id));
  });

  it('needs team credentials', async () => {
    const t = await startApp();
    await expectRejected(t, () => t.http.get('/__mock/snapshot'), 401, 'unauthorized');
  });
});

describe('PUT /__mock/snapshot', () => {
  it('after changes of every kind, puts the team back: every answer is byte-identical to when the snapshot was taken', async () => {
    const t = await startApp();
    const one = await t.auth();
    await ok(t.http.post('/v1/contact').set('Authorization', one).send({ phone: '14155552001', first: 'Team one' }));
    const { c, auth } = await newTeam(t);
    const f = await fill(t, c, auth);
    const taken = await reads(t, auth, f);
    const snap = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body as Snapshot;

    await change(t, c, auth, f);
    expect((await t.http.get('/__mock/snapshot').set('Authorization', auth)).body).not.toEqual(snap);
    const teamOne = storeSnapshot(t).contacts!.filter((r) => (r as { team_id: number }).team_id === 1);

    const res = await t.http.put('/__mock/snapshot').set('Authorization', auth).send(snap);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'restored', team: c.id });
    expect(await reads(t, auth, f)).toEqual(taken);
    expect((await t.http.get('/__mock/snapshot').set('Authorization', auth)).body).toEqual(snap);
    expect(storeSnapshot(t).contacts!.filter((r) => (r as { team_id: number }).team_id === 1)).toEqual(teamOne);

    // New rows after a restore take new ids: none collides with an id handed out before.
    const maxBefore = Math.max(...t.sql<{ id: number }>('SELECT id FROM contacts').map((r) => r.id), 3);
    const fresh = await ok(t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155552010' }));
    expect(fresh.id).toBeGreaterThan(maxBefore);
    expect(t.sql<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'contacts'")[0]!.seq).toBe(fresh.id);
  });

  it('keeps the team reset point: a reset after a restore goes back to how the team was created', async () => {
    const t = await startApp();
    const { c, auth } = await newTeam(t);
    const created = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body as Snapshot;
    await fill(t, c, auth);
    const snap = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body;
    await ok(t.http.put('/__mock/snapshot').set('Authorization', auth).send(snap));
    await ok(t.http.post('/__mock/reset').set('Authorization', auth));
    const after = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body as Snapshot;
    expect(after.team.state.contacts).toEqual([]);
    expect(after.team.members).toEqual(created.team.members);
  });

  it('restores a seeded team too (its credentials as they were)', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const snap = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body;
    await ok(t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'later' }));
    await ok(t.http.put('/__mock/snapshot').set('Authorization', auth).send(snap));
    expect(await ok(t.http.post('/v1/tags').set('Authorization', auth).send({}))).toEqual([]);
    // Its reset point is still the seed.
    await ok(t.http.post('/__mock/reset').set('Authorization', auth));
    expect(t.sql('SELECT spec FROM teams WHERE id = 1')).toEqual([{ spec: null }]);
  });

  it('refuses what is not a snapshot of this team, naming the field, changing nothing', async () => {
    const t = await startApp();
    const one = await t.auth();
    const oneContact = await ok(t.http.post('/v1/contact').set('Authorization', one).send({ phone: '14155552001' }));
    const oneTag = await ok(t.http.post('/v1/tag').set('Authorization', one).send({ tag: 'one' }));
    const { c, auth } = await newTeam(t);
    await fill(t, c, auth);
    const snap = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body as Snapshot;
    const edit = (fn: (s: Snapshot) => void) => {
      const copy = structuredClone(snap);
      fn(copy);
      return copy;
    };
    const put = (body: unknown, as = auth) => () => t.http.put('/__mock/snapshot').set('Authorization', as).send(body as object);

    await expectRejected(t, put(snap, 'Bearer nope'), 401, 'unauthorized');
    await expectRejected(t, put(snap, one), 400, 'bad_data', 'team.id');
    await expectRejected(t, put(edit((s) => (s.format = 'heymarket-mock/snapshot@2'))), 400, 'bad_data', 'format');
    await expectRejected(t, put({ team: snap.team }), 400, 'bad_data', 'format');
    await expectRejected(t, put(edit((s) => (s.team.state.nope = []))), 400, 'bad_data', 'team.state.nope');
    await expectRejected(t, put(edit((s) => (s.team.state.contacts![0]!.colour = 'red'))), 400, 'bad_data', 'team.state.contacts[0].colour');
    await expectRejected(t, put(edit((s) => (s.team.state.contacts![0]!.first = 5))), 400, 'bad_data', 'team.state.contacts[0].first');
    await expectRejected(t, put(edit((s) => (s.team.state.contacts![0]!.team_id = 1))), 400, 'bad_data', 'team.state.contacts[0].team_id');
    await expectRejected(t, put(edit((s) => delete s.team.state.contacts![0]!.uuid)), 400, 'bad_data', 'team.state.contacts[0].uuid');
    await expectRejected(t, put(edit((s) => (s.team.state.contacts![0]!.id = oneContact.id))), 400, 'bad_data', 'team.state.contacts[0].id');
    await expectRejected(t, put(edit((s) => (s.team.state.contact_tags![0]!.tag_id = 999_999))), 400, 'bad_data', 'team.state.contact_tags[0].tag_id');
    // A reference to another team's row is refused like a missing one.
    await expectRejected(t, put(edit((s) => (s.team.state.contact_tags![0]!.tag_id = oneTag.id))), 400, 'bad_data', 'team.state.contact_tags[0].tag_id');
    await expectRejected(t, put(edit((s) => (s.team.members as unknown[]).push({ id: 999, first_name: 'Extra', email: 'x@x.example', phone: '14155552998' }))), 400, 'bad_data', 'team.members');
    await expectRejected(t, put(edit((s) => (s.team.contacts = [{ phone: '14155552999' }]))), 400, 'bad_data', 'team.contacts');
    await expectRejected(t, put(edit((s) => (s.team.api_keys = ['heymarket-mock-api-key']))), 400, 'bad_data', 'team.api_keys');
    await expectRejected(t, put(edit((s) => ((s.team.members as Array<{ phone: string }>)[0]!.phone = '+1'))), 400, 'bad_data', 'team.members[0].phone');
  });
});

describe('a snapshot team recreates a deleted team', () => {
  it('DELETE, then POST /__mock/teams with the snapshot team: same id, credentials and data', async () => {
    const t = await startApp();
    const { c, auth } = await newTeam(t);
    const f = await fill(t, c, auth);
    const taken = await reads(t, auth, f);
    const credentials = (await t.http.get(`/__mock/teams/${c.id}`)).body;
    const snap = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body as Snapshot;

    expect((await t.http.delete(`/__mock/teams/${c.id}`)).status).toBe(204);
    expectApiError(await t.http.get('/v1/team').set('Authorization', auth), 401, 'unauthorized');

    const res = await t.http.post('/__mock/teams').send(snap.team);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual(credentials);
    expect(await reads(t, auth, f)).toEqual(taken);
    // Recreated teams reset to the snapshot they were created from.
    await ok(t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155552011' }));
    await ok(t.http.post('/__mock/reset').set('Authorization', auth));
    expect(await reads(t, auth, f)).toEqual(taken);
    // The same team cannot be created twice.
    await expectRejected(t, () => t.http.post('/__mock/teams').send(snap.team), 400, 'bad_data', 'id');
  });

  it('a snapshot team is a seed-file team', async () => {
    const t = await startApp();
    const { c, auth } = await newTeam(t);
    const f = await fill(t, c, auth);
    const taken = await reads(t, auth, f);
    const snap = (await t.http.get('/__mock/snapshot').set('Authorization', auth)).body as Snapshot;
    const u = await startApp({ seed: writeSeed({ teams: [snap.team] }) });
    expect(await reads(u, auth, f)).toEqual(taken);
  });
});
