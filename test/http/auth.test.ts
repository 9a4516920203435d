import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from '../../src/config.js';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectApiError, mintToken, startApp, type TestApp } from '../support/app.js';

/** The app's real time in whole seconds: what tokens are minted from (never a team's clock). */
const nowS = (t: TestApp) => Math.floor(t.wall.now() / 1000);
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const get = (t: TestApp, authorization?: string) => {
  const req = t.http.get('/v1/inboxes');
  return authorization === undefined ? req : req.set('Authorization', authorization);
};

/** Asserts a 401 in the one error shape whose message matches `why`. */
async function rejected(t: TestApp, authorization: string | undefined, why: RegExp) {
  const res = await get(t, authorization);
  expectApiError(res, 401, 'unauthorized');
  expect(res.body.message).toMatch(why);
  return res;
}

describe('authentication', () => {
  it('accepts an HS256 JWT {iss, iat} signed with SECRET_ID||SECRET_KEY', async () => {
    const t = await startApp();
    const res = await get(t, `Bearer ${await mintToken({ iat: nowS(t) })}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 without an Authorization header', async () => {
    const t = await startApp();
    await rejected(t, undefined, /missing Authorization header/);
  });

  it('answers 401 for an unknown scheme', async () => {
    const t = await startApp();
    await rejected(t, `Token ${await mintToken({ iat: nowS(t) })}`, /Bearer/);
    await rejected(t, 'Bearer', /Bearer/);
  });

  it('answers 401 for a garbage bearer token that is no key', async () => {
    const t = await startApp();
    await rejected(t, 'Bearer not-a-real-key', /unknown team API key/);
    await rejected(t, 'Bearer a.b.c', /cannot be decoded/);
  });

  it('refuses alg none, hand-crafted, naming HS256', async () => {
    const t = await startApp();
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: DEFAULT_SECRET_ID, iat: nowS(t) })}.`;
    await rejected(t, `Bearer ${token}`, /HS256/);
  });

  it('refuses HS512', async () => {
    const t = await startApp();
    await rejected(t, `Bearer ${await mintToken({ iat: nowS(t), alg: 'HS512' })}`, /alg must be HS256 \(got HS512\)/);
  });

  it('refuses an unknown iss', async () => {
    const t = await startApp();
    await rejected(t, `Bearer ${await mintToken({ iat: nowS(t), secretId: 'no-such-secret' })}`, /unknown iss/);
  });

  it('refuses a token signed with the wrong key', async () => {
    const t = await startApp();
    await rejected(t, `Bearer ${await mintToken({ iat: nowS(t), secretKey: 'wrong-secret-key' })}`, /SECRET_ID\|\|SECRET_KEY/);
    // One pipe instead of two.
    await rejected(t, `Bearer ${await mintToken({ iat: nowS(t), key: `${DEFAULT_SECRET_ID}|${DEFAULT_SECRET_KEY}` })}`, /signature does not match/);
  });

  it('refuses a token signed with the Secret Key alone, with the hint; lenientAuth accepts it', async () => {
    const strict = await startApp();
    const token = async (t: TestApp) => mintToken({ iat: nowS(t), key: DEFAULT_SECRET_KEY, extra: { exp: nowS(t) + 3600 } });
    const res = await rejected(strict, `Bearer ${await token(strict)}`, /SECRET_ID\|\|SECRET_KEY/);
    expect(res.body.message).toMatch(/Secret Key alone/);

    const lenient = await startApp({ lenientAuth: true });
    expect((await get(lenient, `Bearer ${await token(lenient)}`)).status).toBe(200);
    // Lenient still refuses a key that is neither.
    await rejected(lenient, `Bearer ${await mintToken({ iat: nowS(lenient), key: 'something-else' })}`, /signature does not match/);
  });

  it('refuses a token older than 300 s, saying it expired', async () => {
    const t = await startApp();
    await rejected(t, `Bearer ${await mintToken({ iat: nowS(t) - 301 })}`, /expired 1 s ago/);
    expect((await get(t, `Bearer ${await mintToken({ iat: nowS(t) - 300 })}`)).status).toBe(200);
  });

  it('tolerates 60 s of clock skew for iat in the future (gap G4)', async () => {
    const t = await startApp();
    await rejected(t, `Bearer ${await mintToken({ iat: nowS(t) + 61 })}`, /in the future/);
    expect((await get(t, `Bearer ${await mintToken({ iat: nowS(t) + 59 })}`)).status).toBe(200);
    expect((await get(t, `Bearer ${await mintToken({ iat: nowS(t) + 60 })}`)).status).toBe(200);
  });

  it('refuses iat in milliseconds', async () => {
    const t = await startApp();
    await rejected(t, `Bearer ${await mintToken({ iat: t.wall.now() })}`, /milliseconds/);
  });

  it('refuses a JWT without iss or with a fractional iat', async () => {
    const t = await startApp();
    const noIss = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ iat: nowS(t) })}.c2ln`;
    await rejected(t, `Bearer ${noIss}`, /iss/);
    await rejected(t, `Bearer ${await mintToken({ iat: nowS(t) + 0.5 })}`, /whole seconds/);
  });

  it('accepts the legacy team API key as Bearer, and as Basic user with an empty password', async () => {
    const t = await startApp();
    expect((await get(t, `Bearer ${DEFAULT_API_KEY}`)).status).toBe(200);
    const basic = Buffer.from(`${DEFAULT_API_KEY}:`).toString('base64');
    expect((await get(t, `Basic ${basic}`)).status).toBe(200);
    // supertest's .auth() builds the same header.
    expect((await t.http.get('/v1/inboxes').auth(DEFAULT_API_KEY, '')).status).toBe(200);
  });

  it('refuses Basic with a wrong key', async () => {
    const t = await startApp();
    await rejected(t, `Basic ${Buffer.from('wrong-key:').toString('base64')}`, /Basic/);
    await rejected(t, `Basic ${Buffer.from(':').toString('base64')}`, /Basic/);
  });

  it('expires a cached token once real time passes iat + 300 s', async () => {
    const t = await startApp();
    const auth = `Bearer ${await mintToken({ iat: nowS(t) })}`;
    expect((await get(t, auth)).status).toBe(200);
    t.wall.advance(300_000);
    expect((await get(t, auth)).status).toBe(200);
    t.wall.advance(1_000);
    await rejected(t, auth, /expired 1 s ago/);
  });

  it("moving a team's clock by hours does not expire a token minted from real time", async () => {
    const t = await startApp();
    const auth = await t.auth();
    expect((await get(t, auth)).status).toBe(200);
    t.clock.advance(6 * 3_600_000);
    expect((await get(t, auth)).status).toBe(200);
    // A fresh token minted from real time (not from the moved clock) is good too.
    expect((await get(t, await t.auth())).status).toBe(200);
    t.clock.advance(-12 * 3_600_000);
    expect((await get(t, auth)).status).toBe(200);
    // A token minted from a moved team clock is judged by real time: an hour ahead is in the future.
    t.clock.set(t.wall.now() + 3_600_000);
    await rejected(t, `Bearer ${await mintToken({ iat: Math.floor(t.clock.now() / 1000) })}`, /3600 s in the future/);
  });
});

describe('tenant isolation (inboxes, team, users)', () => {
  const team2Jwt = (t: TestApp) => mintToken({ secretId: TEAM2.secretId, secretKey: TEAM2.secretKey, iat: nowS(t) });

  it("team 2's credentials see team 2 only", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    for (const auth of [`Bearer ${await team2Jwt(t)}`, `Bearer ${TEAM2.apiKey}`]) {
      const inboxes = await t.http.get('/v1/inboxes').set('Authorization', auth);
      expect(inboxes.body.map((i: { id: number; team: number }) => [i.id, i.team])).toEqual([[20, 2]]);
      const team = await t.http.get('/v1/team').set('Authorization', auth);
      expect(team.body.id).toBe(2);
      expect(team.body.members.map((m: { id: number }) => m.id)).toEqual([21, 22]);
      const users = await t.http.get('/v1/users/get').set('Authorization', auth);
      expect(users.body.memberships.map((m: { id: number; team_id: number }) => [m.id, m.team_id])).toEqual([[21, 2], [22, 2]]);
      const byEmail = await t.http.get('/v1/users/get').set('Authorization', auth).send({ email: ['alice@example.com'] });
      expect(byEmail.body).toEqual({ memberships: [] });
    }
    // And team 1 still sees team 1.
    const one = await t.http.get('/v1/team').set('Authorization', await t.auth());
    expect(one.body.members.map((m: { id: number }) => m.id)).toEqual([1, 2, 3]);
  });

  it("team 2 cannot update team 1's members", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const before = t.sql('SELECT * FROM members ORDER BY id');
    const res = await t.http.post('/v1/users/update').set('Authorization', `Bearer ${await team2Jwt(t)}`).send({ users: [{ id: 1, first_name: 'Mallory' }] });
    expectApiError(res, 400, 'bad_data', 'users[0].id');
    expect(t.sql('SELECT * FROM members ORDER BY id')).toEqual(before);
    const ok = await t.http.post('/v1/users/update').set('Authorization', `Bearer ${await team2Jwt(t)}`).send({ users: [{ id: 22, last_name: 'Two' }] });
    expect(ok.body.memberships).toEqual([expect.objectContaining({ id: 22, name: 'Eve Two', team_id: 2 })]);
  });

  it("team 1's secret cannot sign for team 2's iss", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    await rejected(t, `Bearer ${await mintToken({ secretId: TEAM2.secretId, secretKey: DEFAULT_SECRET_KEY, iat: nowS(t) })}`, /signature does not match/);
  });
});
