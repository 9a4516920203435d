import { describe, expect, it } from 'vitest';
import { startApp } from '../../support/app.js';

// What the API creates is created by the team's first admin (role_id 1), else its first member
// (apiCreatorId): the seed's first member is the admin, so these tests move the roles around.

describe('the member the API acts as', () => {
  it('is the first admin even when a member with a lower id is not an admin, else the first member', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const ids = t.sql<{ id: number }>('SELECT id FROM members WHERE team_id = 1 ORDER BY id').map((m) => m.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const setRole = (id: number, role: number) => t.app.mock.db.$client.prepare('UPDATE members SET role_id = ? WHERE id = ?').run(role, id);
    for (const id of ids) setRole(id, 2);
    setRole(ids[1]!, 1);
    if (ids[2] !== undefined) setRole(ids[2], 1); // a later admin: the first one still wins
    const a = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155550101' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    const creator = (id: number) => t.sql<{ creator_id: number }>('SELECT creator_id FROM contacts WHERE id = ?', id)[0]!.creator_id;
    expect(creator(a.body.id)).toBe(ids[1]);
    setRole(ids[1]!, 2);
    if (ids[2] !== undefined) setRole(ids[2], 2);
    const b = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155550102' });
    expect(b.status).toBe(200);
    expect(creator(b.body.id)).toBe(ids[0]);
  });
});
