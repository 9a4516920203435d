import { describe, expect, it } from 'vitest';
import { expectApiError, startApp } from '../../support/app.js';

// Look-ups bind a list of any length as ONE JSON parameter (src/db/json-in.ts): SQLite caps the
// bound parameters of a statement (32 766 here), so one parameter per value answered 500 for a
// long list instead of doing its job.

describe('/v1/users with lists longer than SQLite binds parameters', () => {
  it('POST /v1/users/update with 40 000 users: 400 naming the first unknown id, not 500', async () => {
    const t = await startApp();
    const users = Array.from({ length: 40_000 }, (_, i) => ({ id: i + 1, first_name: `U${i}` }));
    const res = await t.http.post('/v1/users/update').set('Authorization', await t.auth()).send({ users });
    expectApiError(res, 400, 'bad_data', 'users[3].id');
    expect(t.sql('SELECT first_name FROM members ORDER BY id')).toEqual([{ first_name: 'Alice' }, { first_name: 'Bob' }, { first_name: 'Carol' }]);
  }, 60_000);

  it('GET /v1/users/get with 100 000 emails and 40 000 phones: 200 with the members that match', async () => {
    const t = await startApp();
    const email = Array.from({ length: 100_000 }, (_, i) => `nobody${i}@example.com`);
    email[54_321] = 'BOB@example.com';
    const phone = Array.from({ length: 40_000 }, (_, i) => `1415${3_000_000 + i}`);
    phone[39_999] = '14155550103';
    const res = await t.http.get('/v1/users/get').set('Authorization', await t.auth()).send({ email, phone });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.memberships.map((m: { id: number }) => m.id)).toEqual([2, 3]);
  }, 60_000);
});
