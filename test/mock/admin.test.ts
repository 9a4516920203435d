import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectApiError, expectRejected, startApp, T0 } from '../support/app.js';

const AUTH2 = `Bearer ${TEAM2.apiKey}`;

describe('GET /__mock/info (admin)', () => {
  it('answers version, start time, db, team count and settings without secrets', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const res = await t.http.get('/__mock/info');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), started: new Date(t.wall.now()).toISOString(), db: 'memory', teams: 2 });
    expect(res.body.settings).toMatchObject({ rateLimit: 500, logLevel: 'silent' });
    for (const secret of ['secretId', 'secretKey', 'apiKey', 'adminToken']) expect(res.body.settings).not.toHaveProperty(secret);
  });

  it('needs X-Mock-Admin-Token once HEYMARKET_MOCK_ADMIN_TOKEN is set', async () => {
    const t = await startApp({ adminToken: 's3cret' });
    expectApiError(await t.http.get('/__mock/info'), 401, 'unauthorized');
    expectApiError(await t.http.get('/__mock/info').set('X-Mock-Admin-Token', 'wrong'), 401, 'unauthorized');
    expect((await t.http.get('/__mock/info').set('X-Mock-Admin-Token', 's3cret')).status).toBe(200);
    expect((await t.http.get('/__mock/health')).status).toBe(200); // always open
  });
});

describe('POST /__mock/reset scopes', () => {
  async function withContacts() {
    const t = await startApp({ seed: twoTeamSeed(), adminToken: 'tok' });
    const auth = await t.auth();
    expect((await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551234' })).status).toBe(200);
    expect((await t.http.post('/v1/contact').set('Authorization', AUTH2).send({ phone: '14155551234' })).status).toBe(200);
    return { t, auth };
  }
  const teamsWithContacts = (t: Awaited<ReturnType<typeof withContacts>>['t']) => t.sql<{ team_id: number }>('SELECT team_id FROM contacts ORDER BY team_id').map((r) => r.team_id);

  it('with team credentials resets only that team, even while an admin token is set', async () => {
    const { t } = await withContacts();
    const res = await t.http.post('/__mock/reset').set('Authorization', AUTH2);
    expect(res.body).toEqual({ status: 'reset', team: 2 });
    expect(teamsWithContacts(t)).toEqual([1]);
  });

  it("team credentials cannot reset another team (403, nothing changed)", async () => {
    const { t } = await withContacts();
    await expectRejected(t, () => t.http.post('/__mock/reset?team=1').set('Authorization', AUTH2), 403, 'denied', 'team');
  });

  it('without credentials it is admin: the token is required when set', async () => {
    const { t } = await withContacts();
    await expectRejected(t, () => t.http.post('/__mock/reset'), 401, 'unauthorized');
    expect((await t.http.post('/__mock/reset?team=1').set('X-Mock-Admin-Token', 'tok')).body).toEqual({ status: 'reset', team: 1 });
    expect(teamsWithContacts(t)).toEqual([2]);
    expect((await t.http.post('/__mock/reset').set('X-Mock-Admin-Token', 'tok')).body).toEqual({ status: 'reset', team: null });
    expect(teamsWithContacts(t)).toEqual([]);
  });

  it('bad team credentials are a 401, not an admin reset', async () => {
    const { t } = await withContacts();
    await expectRejected(t, () => t.http.post('/__mock/reset').set('Authorization', 'Bearer nope'), 401, 'unauthorized');
  });

  it("a team reset puts that team's clock back to its start, leaving other teams' clocks", async () => {
    const { t } = await withContacts();
    t.clock.advance(60_000);
    t.clockOf(2).advance(120_000);
    await t.http.post('/__mock/reset').set('Authorization', AUTH2);
    expect(t.clockOf(2).now()).toBe(T0); // back to the start setting (tests start frozen at T0)
    expect(t.clockOf(1).now()).toBe(T0 + 60_000);
  });
});
