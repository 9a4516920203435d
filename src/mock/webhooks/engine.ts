import type { Clocks } from '../../core/clock.js';
import type { DueJob } from '../../core/runner.js';
import { listen } from '../../db/changes.js';
import { teamEpoch } from '../../db/epochs.js';
import { teamGate } from '../../db/team-gate.js';
import { inTransaction, type Db } from '../../db/open.js';
import type { DeliveryAttempt } from '../../db/schema.js';
import { afterAttempt } from '../../domain/webhook-retry.js';
import * as store from './store.js';
import type { DeliveryRow } from './store.js';

// The delivery engine (control-plane spec, Webhooks; decisions W1-W6). Deliveries are rows queued
// by the event log in the event's own transaction; this engine makes the attempts, after the
// commit and never on a request's path:
// - a due delivery is one whose next_attempt_at has come by its team's clock (a new one is due at
//   once; a retry after 1 s, 5 s, ... per src/domain/webhook-retry.ts);
// - one attempt in flight per webhook, oldest due delivery first, so first attempts arrive in
//   event order; at most `concurrency` attempts in flight in all (nothing is queued in memory: a
//   freed slot looks for the next due row in the store);
// - an attempt is a POST with Node's fetch (undici) bounded by AbortSignal.timeout; any 2xx is a
//   success; its outcome is written in one transaction and announced on 'deliveries';
// - the rows are the queue, so pending deliveries resume after a restart; shutdown stops new
//   attempts, waits a bounded time for those in flight, and leaves the rest pending.

declare module 'fastify' {
  interface FastifyInstance {
    /** The webhook delivery engine (tests await `idle()` for attempts in flight). */
    webhooks: WebhookEngine;
  }
}

export interface EngineOptions {
  timeoutMs: number;
  concurrency: number;
  /** `heymarket-mock/<version>` */
  userAgent: string;
  /** Start due attempts right after the commit that queued them (a running server); tests start them with runDue. */
  autoStart: boolean;
  onError: (err: unknown, where: string) => void;
}

/** Why an attempt did not end with a 2xx, as the delivery log's `error` shows it. */
function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `timeout: no answer within ${timeoutMs} ms`;
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if (cause?.message) return `${e?.message ?? 'fetch failed'}: ${cause.message}`;
  return e?.message ?? String(err);
}

export class WebhookEngine {
  /** Attempts in flight, by delivery id. */
  private readonly inFlight = new Map<number, { teamId: number; done: Promise<void> }>();
  /** Webhooks with an attempt in flight (one at a time each). */
  private readonly busy = new Set<number>();
  private readonly shutdown = new AbortController();
  private stopped = false;
  private readonly unlisten: () => void;

  constructor(
    private readonly db: Db,
    private readonly clocks: Clocks,
    private readonly opts: EngineOptions,
  ) {
    this.unlisten = listen(db, 'deliveries', (teamId) => {
      if (this.opts.autoStart) setImmediate(() => this.pump(teamId));
    });
  }

  /** The due-work job: ticks and clock moves start due attempts; a clock move waits for them (settle). */
  job(): DueJob {
    return {
      name: 'webhooks',
      teams: () => store.teamsWithPending(this.db),
      nextDue: (teamId, until) => store.nextPendingAt(this.db, teamId, until),
      due: (teamId, now) => this.startable(teamId, now),
      run: (teamId, item) => (this.start(teamId, item.id) ? 'attempt started' : 'deferred'),
      // An attempt records its own failure; a throwing start is a bug, already reported.
      giveUp: () => undefined,
      settle: (teamId) => this.idle(teamId),
    };
  }

  /** Attempts in flight now (all teams). */
  get active(): number {
    return this.inFlight.size;
  }

  /** Resolves once no attempt (of `teamId`, or of any team) is in flight, including those started meanwhile. */
  async idle(teamId?: number): Promise<void> {
    for (;;) {
      const waiting = [...this.inFlight.values()].filter((a) => teamId === undefined || a.teamId === teamId).map((a) => a.done);
      if (!waiting.length) return;
      await Promise.all(waiting);
    }
  }

  /** Starts every due attempt of the team (every team when absent) that a free slot allows. */
  pump(teamId?: number): void {
    if (this.stopped) return;
    try {
      const teams = teamId !== undefined ? [teamId] : store.teamsWithPending(this.db);
      for (const t of teams) for (const d of this.startable(t, this.clocks.now(t))) this.start(t, d.id);
    } catch (err) {
      this.opts.onError(err, 'webhook pump');
    }
  }

  /**
   * One more attempt of a delivery now, whatever its state (POST .../redeliver): it does not wait
   * for a slot or for its webhook's other attempts; an attempt of it already in flight is let end
   * first (the request still gets one more attempt of its own). Resolves with the delivery once
   * the attempt is recorded; undefined when the delivery is gone (a reset, its log trimmed).
   */
  async redeliver(teamId: number, id: number): Promise<DeliveryRow | undefined> {
    for (let running = this.inFlight.get(id); running; running = this.inFlight.get(id)) await running.done;
    const d = store.getDelivery(this.db, teamId, id);
    if (!d) return undefined;
    this.launch(teamId, d, true);
    await this.inFlight.get(id)?.done;
    return store.getDelivery(this.db, teamId, id);
  }

  /** No attempt starts from now on (shutdown has begun). */
  stop(): void {
    this.stopped = true;
    this.unlisten();
  }

  /**
   * Shutdown: no new attempts; waits up to `graceMs` for those in flight, then aborts the rest,
   * which stay pending (not counted as attempts) and resume after a restart.
   */
  async close(graceMs: number): Promise<void> {
    this.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.shutdown.abort();
    await this.idle();
  }

  /** The team's deliveries that may start now: per free webhook its oldest due one, up to the free slots. */
  private startable(teamId: number, now: number): Array<{ id: number }> {
    // A team being written whole starts nothing; the gate's release moves its epoch and a later pump or tick starts its attempts.
    if (this.stopped || teamGate(this.db).holds(teamId)) return [];
    const free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0) return [];
    return store
      .duePerWebhook(this.db, teamId, now)
      .filter((d) => !this.busy.has(d.webhookId) && !this.inFlight.has(d.id))
      .slice(0, free);
  }

  /** Starts one due delivery's attempt if a slot and its webhook are free; false when it must wait. */
  private start(teamId: number, id: number): boolean {
    if (this.stopped || this.inFlight.has(id) || this.inFlight.size >= this.opts.concurrency) return false;
    const d = store.getDelivery(this.db, teamId, id);
    if (!d || d.status !== 'pending' || this.busy.has(d.webhookId)) return false;
    this.launch(teamId, d, false);
    return true;
  }

  private launch(teamId: number, d: DeliveryRow, manual: boolean) {
    if (!manual) this.busy.add(d.webhookId);
    const done = this.attempt(teamId, d)
      .catch((err) => this.opts.onError(err, `webhook delivery ${d.id}`))
      .finally(() => {
        this.inFlight.delete(d.id);
        if (!manual) this.busy.delete(d.webhookId);
        // A freed slot or webhook: start what waits for it (every team: slots are shared).
        if (!this.stopped) this.pump();
      });
    this.inFlight.set(d.id, { teamId, done });
  }

  private async attempt(teamId: number, d: DeliveryRow): Promise<void> {
    const epoch = teamEpoch(this.db, teamId);
    const hook = store.getWebhook(this.db, teamId, d.webhookId);
    const n = d.attempts.length + 1;
    const at = this.clocks.now(teamId);
    let responseStatus: number | null = null;
    let error: string | null = null;
    const started = performance.now();
    if (!hook) {
      error = 'the webhook was deleted';
    } else {
      const body = JSON.stringify({ type: d.type, id: hook.id, token: hook.token, event_data: d.data });
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': this.opts.userAgent,
            'X-Heymarket-Mock-Delivery': String(d.id),
            'X-Heymarket-Mock-Attempt': String(n),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.shutdown.signal]),
        });
        responseStatus = res.status;
        // The answer's body is not needed: release the connection at once.
        await res.body?.cancel().catch(() => undefined);
        if (res.status < 200 || res.status > 299) error = `answered ${res.status}, not a 2xx`;
      } catch (err) {
        // Shutdown cut it short: not an attempt; the delivery stays pending for the next start.
        if (this.shutdown.signal.aborted) return;
        error = describeFailure(err, this.opts.timeoutMs);
      }
    }
    const latency = Math.round(performance.now() - started);
    // The team's store was replaced meanwhile (reset, restore, delete): the delivery attempted is not the one stored now.
    if (teamEpoch(this.db, teamId) !== epoch) return;
    this.record(teamId, d, { n, at, response_status: responseStatus, error, latency_ms: latency });
  }

  /** Appends the attempt and moves the delivery on (src/domain/webhook-retry.ts), in one transaction. */
  private record(teamId: number, attempted: DeliveryRow, attempt: DeliveryAttempt) {
    inTransaction(this.db, () => {
      const d = store.getDelivery(this.db, teamId, attempted.id);
      // Gone: trimmed from the log meanwhile.
      if (!d) return;
      const id = d.id;
      const webhookGone = !store.getWebhook(this.db, teamId, d.webhookId);
      const n = d.attempts.length + 1;
      const outcome = afterAttempt(n, attempt.error === null, this.clocks.now(teamId), d.status !== 'pending' || webhookGone);
      store.saveAttempt(this.db, teamId, id, [...d.attempts, { ...attempt, n }], outcome.status, outcome.nextAttemptAt);
    });
  }
}
