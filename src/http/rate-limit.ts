import type { FastifyReply } from 'fastify';
import { ApiError } from '../core/errors.js';

const WINDOW_MS = 60_000;

/**
 * "More than 500 requests in the current minute" → 429 (doc: rate-limits). A fixed window per
 * team on the real clock's minute (a moved team clock never changes it) (gap G6); `limit` 0 turns it off. Headers: the 3p-known
 * X-RateLimit-* on every API answer, Retry-After on a 429.
 */
export class RateLimiter {
  private windows = new Map<number, { start: number; count: number }>();

  constructor(
    private limit: number,
    /** Real time in ms. */
    private now: () => number,
  ) {}

  reset() {
    this.windows.clear();
  }

  hit(teamId: number, reply: FastifyReply) {
    if (this.limit <= 0) return;
    const now = this.now();
    const start = now - (now % WINDOW_MS);
    let w = this.windows.get(teamId);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(teamId, w);
    }
    w.count++;
    const resetS = Math.ceil((start + WINDOW_MS - now) / 1000);
    reply.header('X-RateLimit-Limit', this.limit);
    reply.header('X-RateLimit-Remaining', Math.max(0, this.limit - w.count));
    reply.header('X-RateLimit-Reset', Math.ceil((start + WINDOW_MS) / 1000));
    if (w.count > this.limit) {
      throw new ApiError(429, 'rate_limited', `more than ${this.limit} requests in the current minute; retry in ${resetS} s`, undefined, {
        'Retry-After': String(resetS),
      });
    }
  }
}
