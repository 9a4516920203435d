import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { expectApiError, expectRejected, startApp } from '../support/app.js';

const key = `Bearer ${DEFAULT_API_KEY}`;

describe('rate limit (doc: more than 500 requests in the current minute → 429)', () => {
  it('answers 429 with Retry-After past the limit and opens again the next minute', async () => {
    const t = await startApp({ rateLimit: 3 });
    for (let i = 0; i < 3; i++) {
      const ok = await t.http.get('/v1/inboxes').set('Authorization', key);
      expect(ok.status).toBe(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('3');
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await t.http.get('/v1/inboxes').set('Authorization', key);
    expectApiError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The control plane is not limited, and a reset clears the counters.
    expect((await t.http.get('/__mock/health')).status).toBe(200);
    t.wall.advance(60_000);
    expect((await t.http.get('/v1/inboxes').set('Authorization', key)).status).toBe(200);
  });

  it("moving a team's clock does not open a new window: the minute is real time's", async () => {
    const t = await startApp({ rateLimit: 2 });
    for (let i = 0; i < 2; i++) expect((await t.http.get('/v1/inboxes').set('Authorization', key)).status).toBe(200);
    expectApiError(await t.http.get('/v1/inboxes').set('Authorization', key), 429, 'rate_limited');
    // Hours on team 1's clock (and a due-work run there) leave the window shut.
    t.clock.advance(3 * 3_600_000);
    await t.app.mock.runner.advance(1, 3_600_000);
    const still = await t.http.get('/v1/inboxes').set('Authorization', key);
    expectApiError(still, 429, 'rate_limited');
    expect(Number(still.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Real time opens it.
    t.wall.advance(60_000);
    expect((await t.http.get('/v1/inboxes').set('Authorization', key)).status).toBe(200);
  });

  it('a rejected request does not run: nothing is written past the limit', async () => {
    const t = await startApp({ rateLimit: 1 });
    expect((await t.http.post('/v1/tag').set('Authorization', key).send({ tag: 'a' })).status).toBe(200);
    await expectRejected(t, () => t.http.post('/v1/tag').set('Authorization', key).send({ tag: 'b' }), 429, 'rate_limited');
    expect(t.sql<{ tag: string }>('SELECT tag FROM tags').map((r) => r.tag)).toEqual(['a']);
    await t.http.post('/__mock/reset');
    expect((await t.http.post('/v1/tag').set('Authorization', key).send({ tag: 'c' })).status).toBe(200);
  });

  it('0 turns the limit off', async () => {
    const t = await startApp({ rateLimit: 0 });
    for (let i = 0; i < 5; i++) expect((await t.http.get('/v1/inboxes').set('Authorization', key)).status).toBe(200);
  });
});
