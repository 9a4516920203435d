import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../../db/fixtures.js';
import { expectApiError, startApp } from '../../support/app.js';

describe('GET /v1/team', () => {
  it('answers the default team with its members and roles', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/team').set('Authorization', await t.auth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 1,
      name: 'Heymarket Mock Team',
      list_size: 10000,
      members: [
        { id: 1, name: 'Alice Admin', role: 'admin', email: 'alice@example.com' },
        { id: 2, name: 'Bob Member', role: 'member', email: 'bob@example.com' },
        { id: 3, name: 'Carol Email', role: 'member', email: 'carol@example.com' },
      ],
    });
  });

  it("answers the caller's team only; a member without last name has no trailing space", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const res = await t.http.get('/v1/team').set('Authorization', `Bearer ${TEAM2.apiKey}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 2,
      name: 'Second Team',
      list_size: 500,
      members: [
        { id: 21, name: 'Dan Two', role: 'admin', email: 'dan@two.example' },
        { id: 22, name: 'Eve', role: 'member', email: 'eve@two.example' },
      ],
    });
  });

  it('reflects member updates', async () => {
    const t = await startApp();
    const auth = await t.auth();
    await t.http.post('/v1/users/update').set('Authorization', auth).send({ users: [{ id: 2, first_name: 'Robert', role_id: 1 }] });
    const res = await t.http.get('/v1/team').set('Authorization', auth);
    expect(res.body.members[1]).toEqual({ id: 2, name: 'Robert Member', role: 'admin', email: 'bob@example.com' });
  });

  it('needs credentials', async () => {
    const t = await startApp();
    expectApiError(await t.http.get('/v1/team').set('Authorization', 'Bearer nope'), 401, 'unauthorized');
  });
});
