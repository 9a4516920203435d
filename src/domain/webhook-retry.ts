/**
 * Webhook retry rules (control-plane spec, Webhooks): a failed attempt is retried after 1 s, 5 s,
 * 30 s, 2 min and 10 min by the team's clock, six attempts in all, then the delivery is failed.
 * A redelivery (POST /__mock/webhooks/deliveries/{id}/redeliver) of a delivery that had already
 * ended is one more attempt and no more (decision W5).
 */
export const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export type DeliveryState = 'pending' | 'succeeded' | 'failed';

export interface AttemptOutcome {
  status: DeliveryState;
  /** Epoch ms of the next attempt; null when none is planned. */
  nextAttemptAt: number | null;
}

/**
 * Where a delivery stands after attempt `n` (1-based) ended at `now`. `ok`: a 2xx within the
 * timeout. `wasEnded`: the delivery had succeeded or failed before this attempt (a redelivery).
 */
export function afterAttempt(n: number, ok: boolean, now: number, wasEnded: boolean): AttemptOutcome {
  if (ok) return { status: 'succeeded', nextAttemptAt: null };
  if (wasEnded || n >= MAX_ATTEMPTS) return { status: 'failed', nextAttemptAt: null };
  return { status: 'pending', nextAttemptAt: now + RETRY_DELAYS_MS[n - 1]! };
}
