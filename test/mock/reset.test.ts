import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectRejected, startApp } from '../support/app.js';

describe('/__mock/health and /__mock/reset', () => {
  it('answers health without credentials', async () => {
    const t = await startApp();
    const res = await t.http.get('/__mock/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('puts everything back to the seed: created data gone, changed data restored', async () => {
    const t = await startApp();
    const auth = await t.auth();
    expect((await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'VIP' })).status).toBe(200);
    await t.http.post('/v1/users/update').set('Authorization', auth).send({ users: [{ id: 1, first_name: 'Changed', role_id: 4 }] });
    const seeded = { id: 1, first_name: 'Alice', last_name: 'Admin', role_id: 1 };

    const res = await t.http.post('/__mock/reset');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'reset', team: null });
    expect(t.sql('SELECT * FROM tags')).toEqual([]);
    expect(t.sql('SELECT id, first_name, last_name, role_id FROM members WHERE id = 1')).toEqual([seeded]);
    // The same credentials work after a reset, and the API sees the seed.
    const team = await t.http.get('/v1/team').set('Authorization', auth);
    expect(team.body.members[0]).toEqual({ id: 1, name: 'Alice Admin', role: 'admin', email: 'alice@example.com' });
    expect((await t.http.get('/v1/inboxes').set('Authorization', auth)).body.map((i: { id: number }) => i.id)).toEqual([10, 11, 12]);
  });

  it('restarts ids after a full reset', async () => {
    const t = await startApp();
    const auth = await t.auth();
    await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'a' });
    const second = await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'b' });
    expect(second.body.id).toBe(2);
    await t.http.post('/__mock/reset');
    const fresh = await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'c' });
    expect(fresh.body.id).toBe(1);
  });

  it('resets one team with ?team=, leaving the others alone', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const one = await t.auth();
    const two = `Bearer ${TEAM2.apiKey}`;
    await t.http.post('/v1/tag').set('Authorization', one).send({ tag: 'team-one-tag' });
    await t.http.post('/v1/tag').set('Authorization', two).send({ tag: 'team-two-tag' });
    await t.http.post('/v1/users/update').set('Authorization', one).send({ users: [{ id: 2, first_name: 'Changed1' }] });
    await t.http.post('/v1/users/update').set('Authorization', two).send({ users: [{ id: 21, first_name: 'Changed2' }] });

    const res = await t.http.post('/__mock/reset?team=2');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'reset', team: 2 });
    expect(t.sql('SELECT team_id, tag FROM tags')).toEqual([{ team_id: 1, tag: 'team-one-tag' }]);
    expect(t.sql('SELECT id, first_name FROM members WHERE id IN (2, 21) ORDER BY id')).toEqual([
      { id: 2, first_name: 'Changed1' },
      { id: 21, first_name: 'Dan' },
    ]);
    // Team 2's seeded inbox and memberships are back, and its credentials still work.
    const inboxes = await t.http.get('/v1/inboxes').set('Authorization', two);
    expect(inboxes.body.map((i: { id: number; members: number[] }) => [i.id, i.members])).toEqual([[20, [21, 22]]]);
  });

  it('answers ?team= for an unknown team with 404', async () => {
    const t = await startApp();
    await t.http.post('/v1/tag').set('Authorization', await t.auth()).send({ tag: 'keep' });
    await expectRejected(t, () => t.http.post('/__mock/reset?team=999'), 404, 'not_found', 'team');
    await expectRejected(t, () => t.http.post('/__mock/reset?team=abc'), 400, 'bad_data', 'team');
    expect(t.sql('SELECT tag FROM tags')).toEqual([{ tag: 'keep' }]);
  });
});
