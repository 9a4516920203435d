import { describe, expect, it } from 'vitest';
import { MAX_USER_FILTER, MAX_USER_UPDATES } from '../../../src/resources/team/schemas.js';
import { expectRejected, startApp } from '../../support/app.js';

// Look-ups bind a list as ONE JSON parameter (src/db/json-in.ts), never one parameter per value;
// and a list is at most its documented maximum (README "Request limits"): 40 000 users or 100 000
// emails are a 400 too_many_items, never a 500 (issue #11.1).

describe('/v1/users with long lists', () => {
  it('POST /v1/users/update with the most users (1000): 400 naming the first unknown id, nothing written', async () => {
    const t = await startApp();
    const users = Array.from({ length: MAX_USER_UPDATES }, (_, i) => ({ id: i + 1, first_name: `U${i}` }));
    await expectRejected(t, async () => t.http.post('/v1/users/update').set('Authorization', await t.auth()).send({ users }), 400, 'bad_data', 'users[3].id');
    expect(t.sql('SELECT first_name FROM members ORDER BY id')).toEqual([{ first_name: 'Alice' }, { first_name: 'Bob' }, { first_name: 'Carol' }]);
  }, 60_000);

  it('POST /v1/users/update with the most elements, all naming members: each member gets its elements in request order; the answer has one entry per element', async () => {
    const t = await startApp();
    const users: Array<{ id: number; first_name?: string; last_name?: string }> = Array.from({ length: MAX_USER_UPDATES }, (_, i) => ({ id: (i % 3) + 1, first_name: `U${i}` }));
    users[1] = { id: 2, last_name: 'Only-last' };
    const res = await t.http.post('/v1/users/update').set('Authorization', await t.auth()).send({ users });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.memberships).toHaveLength(MAX_USER_UPDATES);
    expect(res.body.memberships.slice(0, 3).map((m: { id: number }) => m.id)).toEqual([1, 2, 3]);
    // The last element naming each member wins for the fields it carries; a field only an earlier one set stays set.
    expect(t.sql('SELECT id, first_name, last_name FROM members ORDER BY id')).toEqual([
      { id: 1, first_name: 'U999', last_name: expect.any(String) },
      { id: 2, first_name: 'U997', last_name: 'Only-last' },
      { id: 3, first_name: 'U998', last_name: expect.any(String) },
    ]);
  }, 60_000);

  it('POST /v1/users/update with 40 000 users: 400 too_many_items, nothing written', async () => {
    const t = await startApp();
    const users = Array.from({ length: 40_000 }, (_, i) => ({ id: i + 1, first_name: `U${i}` }));
    const res = await expectRejected(t, async () => t.http.post('/v1/users/update').set('Authorization', await t.auth()).send({ users }), 400, 'bad_data', 'users');
    expect(res.body).toHaveProperty('error_code', 'too_many_items');
  }, 60_000);

  it('GET /v1/users/get with the most emails and phones (1000 each): 200 with the members that match', async () => {
    const t = await startApp();
    const email = Array.from({ length: MAX_USER_FILTER }, (_, i) => `nobody${i}@example.com`);
    email[543] = 'BOB@example.com';
    const phone = Array.from({ length: MAX_USER_FILTER }, (_, i) => `1415${3_000_000 + i}`);
    phone[999] = '14155550103';
    const res = await t.http.get('/v1/users/get').set('Authorization', await t.auth()).send({ email, phone });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.memberships.map((m: { id: number }) => m.id)).toEqual([2, 3]);
  }, 60_000);

  it('GET /v1/users/get with 100 000 emails: 400 too_many_items naming email', async () => {
    const t = await startApp();
    const email = Array.from({ length: 100_000 }, (_, i) => `nobody${i}@example.com`);
    const auth = await t.auth();
    const res = await expectRejected(t, () => t.http.get('/v1/users/get').set('Authorization', auth).send({ email }), 400, 'bad_data', 'email');
    expect(res.body).toHaveProperty('error_code', 'too_many_items');
  }, 60_000);
});
