import { describe, expect, it } from 'vitest';
import { afterAttempt, MAX_ATTEMPTS } from './webhook-retry.js';

describe('webhook retry schedule', () => {
  it('retries after 1 s, 5 s, 30 s, 2 min and 10 min, then fails on the sixth failed attempt', () => {
    const gaps = [1, 2, 3, 4, 5].map((n) => afterAttempt(n, false, 1_000_000, false));
    expect(gaps.map((o) => o.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(gaps.map((o) => o.nextAttemptAt! - 1_000_000)).toEqual([1_000, 5_000, 30_000, 120_000, 600_000]);
    expect(MAX_ATTEMPTS).toBe(6);
    expect(afterAttempt(6, false, 5, false)).toEqual({ status: 'failed', nextAttemptAt: null });
  });

  it('succeeds on any successful attempt, the last one or a redelivery', () => {
    expect(afterAttempt(1, true, 5, false)).toEqual({ status: 'succeeded', nextAttemptAt: null });
    expect(afterAttempt(6, true, 5, false)).toEqual({ status: 'succeeded', nextAttemptAt: null });
    expect(afterAttempt(9, true, 5, true)).toEqual({ status: 'succeeded', nextAttemptAt: null });
  });

  it('a failed redelivery of an ended delivery plans no more attempts', () => {
    expect(afterAttempt(2, false, 5, true)).toEqual({ status: 'failed', nextAttemptAt: null });
  });
});
