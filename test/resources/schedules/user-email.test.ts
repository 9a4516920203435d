import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { apiFor, ok } from '../../support/api.js';
import { body, createSchedule, expectRejected, start } from './support.js';

// Issue #8.3 for schedules: the spec names the member `user_id`, so its email form is `user_email`.

const post = (t: TestApp, auth: string, b: unknown) => () => t.http.post('/v1/schedule').set('Authorization', auth).send(b as object);

describe('POST/PUT /v1/schedule with user_email', () => {
  it('schedules as the member with that email (case-insensitive)', async () => {
    const { t, auth } = await start();
    const s = await createSchedule(t, auth, body({ user_email: 'Bob@Example.com' }));
    expect(s.user_id).toBe(2);
    const replaced = await ok(apiFor(t, auth).put(`/v1/schedule/${s.id}`, body({ user_email: 'alice@example.com' })));
    expect(replaced.user_id).toBe(1);
  });

  it('an email no member has → 400 naming user_email, store unchanged (create and update)', async () => {
    const { t, auth } = await start();
    const res = await expectRejected(t, post(t, auth, body({ user_email: 'nobody@example.com' })), 400, 'bad_data', 'user_email');
    expect(res.body).toMatchObject({ error_code: 'unknown_member_email' });
    const s = await createSchedule(t, auth);
    await expectRejected(
      t,
      () => t.http.put(`/v1/schedule/${s.id}`).set('Authorization', auth).send(body({ user_email: 'nobody@example.com' })),
      400,
      'bad_data',
      'user_email',
    );
  });

  it('user_id wins when both are given', async () => {
    const { t, auth } = await start();
    const s = await createSchedule(t, auth, body({ user_id: 2, user_email: 'nobody@example.com' }));
    expect(s.user_id).toBe(2);
  });

  it('a member found by email who is not in the inbox → 403 naming user_id', async () => {
    const { t, auth } = await start();
    const res = await expectRejected(t, post(t, auth, body({ user_email: 'carol@example.com' })), 403, 'denied', 'user_id');
    expect(res.body.message).toContain('carol@example.com');
  });
});
