import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../../db/fixtures.js';
import { expectApiError, expectRejected, startApp, T0, type TestApp } from '../../support/app.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (ms: number) => ({ created_at: iso(T0), updated_at: iso(ms), user_created_at: iso(T0), user_updated_at: iso(ms) });

const ALICE = { id: 1, phone: '14155550101', name: 'Alice Admin', email: 'alice@example.com', role_id: 1, team_id: 1, ...at(T0) };
const BOB = { id: 2, phone: '14155550102', name: 'Bob Member', email: 'bob@example.com', role_id: 4, team_id: 1, ...at(T0) };
const CAROL = { id: 3, phone: '14155550103', name: 'Carol Email', email: 'carol@example.com', role_id: 4, team_id: 1, ...at(T0) };

const members = (t: TestApp) => t.sql('SELECT * FROM members ORDER BY id');

describe('GET /v1/users/get', () => {
  it('finds members by a JSON body on the GET (phone, email, or both)', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const byPhone = await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: ['14155550102'] });
    expect(byPhone.status).toBe(200);
    expect(byPhone.body).toEqual({ memberships: [BOB] });

    const byEmail = await t.http.get('/v1/users/get').set('Authorization', auth).send({ email: ['carol@example.com'] });
    expect(byEmail.body).toEqual({ memberships: [CAROL] });

    // Either or both: a member matching any value, once, ascending id.
    const both = await t.http.get('/v1/users/get').set('Authorization', auth)
      .send({ phone: ['14155550103', '14155550101'], email: ['alice@example.com'] });
    expect(both.body).toEqual({ memberships: [ALICE, CAROL] });
  });

  it('matches email case-insensitively', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/users/get').set('Authorization', await t.auth()).send({ email: ['ALICE@Example.COM'] });
    expect(res.body).toEqual({ memberships: [ALICE] });
  });

  it('accepts the query forms phone=..&phone=.., phone[]=.., email=.. (gap U3)', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const repeated = await t.http.get('/v1/users/get?phone=14155550101&phone=14155550103').set('Authorization', auth);
    expect(repeated.status).toBe(200);
    expect(repeated.body).toEqual({ memberships: [ALICE, CAROL] });
    const brackets = await t.http.get('/v1/users/get?phone[]=14155550102').set('Authorization', auth);
    expect(brackets.body).toEqual({ memberships: [BOB] });
    const email = await t.http.get('/v1/users/get?email=Bob%40example.com&email[]=carol@example.com').set('Authorization', auth);
    expect(email.body).toEqual({ memberships: [BOB, CAROL] });
  });

  it('merges body and query filters', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/users/get?email=carol@example.com').set('Authorization', await t.auth()).send({ phone: ['14155550101'] });
    expect(res.body).toEqual({ memberships: [ALICE, CAROL] });
  });

  it('reads the body whatever its Content-Type', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/users/get').set('Authorization', await t.auth())
      .set('Content-Type', 'text/plain').send(JSON.stringify({ phone: ['14155550102'] }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ memberships: [BOB] });
  });

  it('answers every member when no filter is given, and none when nothing matches', async () => {
    const t = await startApp();
    const auth = await t.auth();
    expect((await t.http.get('/v1/users/get').set('Authorization', auth)).body).toEqual({ memberships: [ALICE, BOB, CAROL] });
    expect((await t.http.get('/v1/users/get').set('Authorization', auth).send({})).body).toEqual({ memberships: [ALICE, BOB, CAROL] });
    expect((await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: [], email: [] })).body).toEqual({ memberships: [ALICE, BOB, CAROL] });
    const none = await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: ['14155559999'] });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ memberships: [] });
  });

  it("sees only the caller's team, even when a phone is shared across teams", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const res = await t.http.get('/v1/users/get').set('Authorization', `Bearer ${TEAM2.apiKey}`).send({ phone: ['14155550101'], email: ['bob@example.com'] });
    expect(res.body.memberships.map((m: { id: number; team_id: number }) => [m.id, m.team_id])).toEqual([[22, 2]]);
    const all = await t.http.get('/v1/users/get').set('Authorization', `Bearer ${TEAM2.apiKey}`);
    expect(all.body.memberships.map((m: { id: number }) => m.id)).toEqual([21, 22]);
    expect(all.body.memberships[1].name).toBe('Eve');
  });

  it('rejects bad filters with the field named', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const plus = await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: ['+14155550101'] });
    expectApiError(plus, 400, 'bad_data', 'phone[0]');
    expect(plus.body.message).toContain("without '+'");
    expectApiError(await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: ['14155550101', '123'] }), 400, 'bad_data', 'phone[1]');
    expectApiError(await t.http.get('/v1/users/get').set('Authorization', auth).send({ email: ['not-an-email'] }), 400, 'bad_data', 'email[0]');
    expectApiError(await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: '14155550101' }), 400, 'bad_data', 'phone');
    expectApiError(await t.http.get('/v1/users/get').set('Authorization', auth).send([1, 2]), 400, 'bad_data');
    expectApiError(await t.http.get('/v1/users/get?phone=%2B14155550101').set('Authorization', auth), 400, 'bad_data', 'phone[0]');
    expectApiError(await t.http.get('/v1/users/get?email=nope').set('Authorization', auth), 400, 'bad_data', 'email[0]');
    const malformed = await t.http.get('/v1/users/get').set('Authorization', auth).set('Content-Type', 'application/json').send('{"phone": [');
    expectApiError(malformed, 400, 'bad_data');
    expect(malformed.body.message).toMatch(/not valid JSON/);
  });

  it('authenticates before reading the body', async () => {
    const t = await startApp();
    expectApiError(await t.http.get('/v1/users/get').send({ phone: ['14155550101'] }), 401, 'unauthorized');
  });
});

describe('POST /v1/users/update', () => {
  it('updates members in one request and answers them in request order, all at the request\'s true time', async () => {
    const t = await startApp();
    const auth = await t.auth();
    t.clock.advance(60_000);
    const res = await t.http.post('/v1/users/update').set('Authorization', auth).send({
      users: [
        { id: 3, first_name: 'Caroline', last_name: 'Mail', email: 'caroline@example.com', phone: '14155550113' },
        { id: 2, role_id: 1 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      memberships: [
        { ...CAROL, name: 'Caroline Mail', email: 'caroline@example.com', phone: '14155550113', ...at(T0 + 60_000) },
        { ...BOB, role_id: 1, ...at(T0 + 60_000) },
      ],
    });
    expect(members(t)).toEqual([
      expect.objectContaining({ id: 1, first_name: 'Alice', last_name: 'Admin', role_id: 1, updated: T0, user_updated: T0 }),
      expect.objectContaining({ id: 2, first_name: 'Bob', last_name: 'Member', role_id: 1, email: 'bob@example.com', phone: '14155550102', created: T0, updated: T0 + 60_000, user_created: T0, user_updated: T0 + 60_000 }),
      expect.objectContaining({ id: 3, first_name: 'Caroline', last_name: 'Mail', role_id: 4, email: 'caroline@example.com', phone: '14155550113', created: T0, updated: T0 + 60_000, user_updated: T0 + 60_000 }),
    ]);
    // The lookup sees the new values.
    const found = await t.http.get('/v1/users/get').set('Authorization', auth).send({ email: ['CAROLINE@example.com'] });
    expect(found.body.memberships.map((m: { id: number }) => m.id)).toEqual([3]);
  });

  it('accepts the documented example body', async () => {
    const t = await startApp();
    const res = await t.http.post('/v1/users/update').set('Authorization', await t.auth())
      .send({ users: [{ id: 1, first_name: 'John', last_name: 'Doe' }, { id: 2, role_id: 4 }] });
    expect(res.status).toBe(200);
    expect(res.body.memberships.map((m: { id: number; name: string; role_id: number }) => [m.id, m.name, m.role_id])).toEqual([
      [1, 'John Doe', 1],
      [2, 'Bob Member', 4],
    ]);
  });

  const rejections: Array<[string, unknown, string]> = [
    ['missing id (rule #36)', { users: [{ id: 1, first_name: 'X' }, { first_name: 'Y' }] }, 'users[1].id'],
    ['non-integer id', { users: [{ id: 'abc' }] }, 'users[0].id'],
    ['unknown id', { users: [{ id: 1, first_name: 'X' }, { id: 99, first_name: 'Y' }] }, 'users[1].id'],
    ['role_id other than 1 or 4', { users: [{ id: 2, role_id: 2 }] }, 'users[0].role_id'],
    ["phone with '+'", { users: [{ id: 2, phone: '+14155550102' }] }, 'users[0].phone'],
    ['invalid phone', { users: [{ id: 2, phone: '12345' }] }, 'users[0].phone'],
    ['bad email', { users: [{ id: 2, email: 'bob-at-example.com' }] }, 'users[0].email'],
    ['empty first_name', { users: [{ id: 2, first_name: '  ' }] }, 'users[0].first_name'],
    ['empty users', { users: [] }, 'users'],
    ['missing users', {}, 'users'],
    ['users not an array', { users: { id: 1 } }, 'users'],
  ];
  for (const [name, body, field] of rejections) {
    it(`rejects ${name} with 400 naming ${field}, changing nothing`, async () => {
      const t = await startApp();
      const auth = await t.auth();
      const res = await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', auth).send(body as object), 400, 'bad_data', field);
      expect(res.body.message).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
    });
  }

  it('rejects a body-less request', async () => {
    const t = await startApp();
    const auth = await t.auth();
    await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', auth), 400, 'bad_data', 'users');
  });

  it("refuses another team's member id in either direction, changing nothing", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const auth = await t.auth();
    await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', auth).send({ users: [{ id: 1, first_name: 'Ok' }, { id: 21, first_name: 'Hijack' }] }), 400, 'bad_data', 'users[1].id');
    await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', `Bearer ${TEAM2.apiKey}`).send({ users: [{ id: 1, role_id: 4 }] }), 400, 'bad_data', 'users[0].id');
  });
});
