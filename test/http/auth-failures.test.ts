import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { expectApiError, startApp, type TestApp } from '../support/app.js';
import { rawRequest } from '../support/raw-http.js';

// Failed authentication is limited per client address (issue #11 defect 10), on real time (the
// injected wall clock), without touching requests that authenticate.

const KEY = `Bearer ${DEFAULT_API_KEY}`;
const BAD = 'Bearer not-a-key';
const port = (t: TestApp) => (t.app.server.address() as AddressInfo).port;

describe('failed authentications per client address', () => {
  it('past HEYMARKET_MOCK_AUTH_FAIL_LIMIT a wrong key gets 429 auth_rate_limited with Retry-After; valid credentials still pass; the next minute starts again', async () => {
    const t = await startApp({ authFailLimit: 3 });
    t.wall.advance(60_000 - (t.wall.now() % 60_000) + 15_000); // 15 s into a minute
    for (let i = 0; i < 3; i++) expectApiError(await t.http.get('/v1/inboxes').set('Authorization', BAD), 401, 'unauthorized');
    const limited = await t.http.get('/v1/inboxes').set('Authorization', BAD);
    expectApiError(limited, 429, 'rate_limited');
    expect(limited.body.error_code).toBe('auth_rate_limited');
    expect(limited.headers['retry-after']).toBe('45');
    expect(limited.body.message).toMatch(/more than 3 failed authentications from 127\.0\.0\.1.*This one failed with: unknown team API key/);
    // A missing header and a bad JWT are failures too; the team scope of the control plane counts as well.
    expectApiError(await t.http.get('/v1/inboxes'), 429, 'rate_limited');
    expectApiError(await t.http.get('/__mock/outbox').set('Authorization', 'Bearer a.b.c'), 429, 'rate_limited');
    // Authenticated requests from the same address are neither refused nor counted.
    for (let i = 0; i < 5; i++) expect((await t.http.get('/v1/inboxes').set('Authorization', KEY)).status).toBe(200);
    expect((await t.http.get('/__mock/outbox').set('Authorization', await t.auth())).status).toBe(200);
    t.wall.advance(45_000); // the next minute, by the app's real time
    expectApiError(await t.http.get('/v1/inboxes').set('Authorization', BAD), 401, 'unauthorized');
  });

  it('counts each address on its own', async () => {
    const t = await startApp({ authFailLimit: 1 });
    const from = (localAddress: string) => rawRequest(port(t), { path: '/v1/inboxes', headers: [['Authorization', BAD]], localAddress });
    expect((await from('127.0.0.1')).status).toBe(401);
    expect((await from('127.0.0.1')).status).toBe(429);
    expect((await from('127.0.0.2')).status).toBe(401);
    expect((await from('127.0.0.2')).status).toBe(429);
  });

  it('a team that is authenticated is never limited by failures, and 0 turns the limit off', async () => {
    const off = await startApp({ authFailLimit: 0, rateLimit: 0 });
    for (let i = 0; i < 150; i++) expect((await off.http.get('/v1/inboxes').set('Authorization', BAD)).status).toBe(401);
    const on = await startApp({ authFailLimit: 100 });
    for (let i = 0; i < 100; i++) expect((await on.http.get('/v1/inboxes').set('Authorization', BAD)).status).toBe(401);
    expect((await on.http.get('/v1/inboxes').set('Authorization', BAD)).status).toBe(429);
    // The team's own per-minute budget (HEYMARKET_MOCK_RATE_LIMIT) is untouched by the failures.
    const res = await on.http.get('/v1/inboxes').set('Authorization', KEY);
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('499');
  });
});
