import { ApiError } from '../core/errors.js';

const WINDOW_MS = 60_000;
/** Addresses tracked at once; past it, windows of earlier minutes are dropped first. */
const MAX_ADDRESSES = 100_000;

/**
 * Failed authentications per client address, in a fixed window on the real clock's minute
 * (decision S4). Only failures count: a request with valid credentials is never counted or
 * refused, so a team whose test runner shares the address (127.0.0.1) keeps working.
 * `limit` 0 turns the limit off.
 */
export class AuthFailures {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    /** Real time in ms. */
    private readonly now: () => number,
  ) {}

  /**
   * Counts one failure of `address`; past the limit, the 401 `refusal` becomes a 429 with
   * Retry-After (its reason kept in the message).
   */
  failed(address: string, refusal: ApiError): ApiError {
    if (this.limit <= 0) return refusal;
    const now = this.now();
    const start = now - (now % WINDOW_MS);
    let w = this.windows.get(address);
    if (!w || w.start !== start) {
      if (this.windows.size >= MAX_ADDRESSES) this.prune(start);
      w = { start, count: 0 };
      this.windows.set(address, w);
    }
    w.count++;
    if (w.count <= this.limit) return refusal;
    const retry = Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000));
    return new ApiError(
      429,
      'rate_limited',
      `more than ${this.limit} failed authentications from ${address} in the current minute (HEYMARKET_MOCK_AUTH_FAIL_LIMIT); retry in ${retry} s. This one failed with: ${refusal.message}`,
      undefined,
      { 'Retry-After': String(retry) },
    ).coded('auth_rate_limited');
  }

  private prune(start: number) {
    for (const [address, w] of this.windows) if (w.start !== start) this.windows.delete(address);
    if (this.windows.size >= MAX_ADDRESSES) this.windows.clear();
  }
}
