import type { Clocks } from './clock.js';

/**
 * One runner for all work that falls due by a team's clock: scheduled messages today, delivery
 * progression and webhook retries next. Each kind of work is a DueJob; the runner asks each job
 * for the team's items due at that team's own `now`, runs them in order (awaiting async ones),
 * and counts failures: an item whose run throws `maxTries` times is handed to `giveUp` (which
 * records it as failed) instead of being retried every tick forever. Runs never overlap, so a
 * timer tick and an awaited `advance` from POST /__mock/clock cannot interleave.
 */

export interface DueItem {
  /** Unique within its job (e.g. the schedule id). */
  id: number;
}

export interface DueJob {
  readonly name: string;
  /** Teams with any pending work of this job. */
  teams(): number[];
  /** The earliest pending due time of the team's work at or before `until`, if any. */
  nextDue(teamId: number, until: number): number | undefined;
  /** The team's pending items due at `now`, in the order they must run. */
  due(teamId: number, now: number): DueItem[];
  /** Runs one item; returns an outcome label for the report. Throwing is a failed try. */
  run(teamId: number, item: DueItem): string | Promise<string>;
  /** Records an item as failed for good after `maxTries` throwing runs. */
  giveUp(teamId: number, item: DueItem, err: unknown): void;
  /**
   * For a job whose `run` only starts work that ends later (webhook attempts): resolves when the
   * team's started work has ended. A clock move awaits it at each due time, so work started at
   * one step is settled (and has planned its follow-up) before the clock moves on; ticks do not.
   */
  settle?(teamId: number): Promise<void>;
}

export interface RanItem {
  job: string;
  teamId: number;
  id: number;
  outcome: string;
}

export interface RunReport {
  ran: RanItem[];
  /** Errors thrown by runs (bugs or broken bookkeeping); the runner has already reported them. */
  errors: unknown[];
}

export class DueRunner {
  private readonly jobs: DueJob[] = [];
  private readonly tries = new Map<string, number>();
  /** Items whose giveUp threw too: never run again by this process. */
  private readonly quarantined = new Set<string>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** Teams whose work waits for now (a team being written whole, src/db/team-gate.ts). */
  private paused: (teamId: number) => boolean = () => false;

  constructor(
    private readonly clocks: Clocks,
    private readonly onError: (err: unknown, where: string) => void,
    private readonly maxTries = 3,
  ) {}

  add(job: DueJob): void {
    this.jobs.push(job);
  }

  /** Runs nothing of a team while `paused(team)`: its due work runs at a later tick or run. */
  pauseWhile(paused: (teamId: number) => boolean): void {
    this.paused = paused;
  }

  /** Runs what is due now for one team, or for every team with pending work. */
  runDue(teamId?: number): Promise<RunReport> {
    return this.serial(async () => {
      const report: RunReport = { ran: [], errors: [] };
      const teams = teamId !== undefined ? [teamId] : [...new Set(this.jobs.flatMap((j) => j.teams()))].sort((a, b) => a - b);
      for (const t of teams) await this.runTeam(t, report);
      return report;
    });
  }

  /**
   * Moves the team's clock by `ms`, stopping at each due time on the way so every item runs (and
   * is dated) at its own time, then lands on now + ms and runs what is due there.
   */
  advance(teamId: number, ms: number): Promise<RunReport> {
    return this.moveTo(teamId, () => this.clocks.now(teamId) + ms);
  }

  /** Moves the team's clock to `at` (never back past due work: going back runs nothing), then runs what is due. */
  moveTo(teamId: number, target: () => number): Promise<RunReport> {
    return this.serial(async () => {
      const clock = this.clocks.team(teamId);
      const until = target();
      const report: RunReport = { ran: [], errors: [] };
      await this.settle(teamId);
      // Bounded: work that stays due however often it runs cannot hold the runner.
      for (let step = 0; step < 100_000; step++) {
        const next = this.nextDue(teamId, until);
        if (next === undefined) break;
        if (next > clock.now()) clock.set(next);
        const ran = await this.runTeam(teamId, report);
        await this.settle(teamId);
        if (!ran) break; // nothing could run: do not spin
      }
      clock.set(until);
      await this.runTeam(teamId, report);
      await this.settle(teamId);
      return report;
    });
  }

  /** Ticks every `intervalMs` (unref'ed: it never keeps the process alive). */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => {
      this.runDue().catch((e) => this.onError(e, 'runner tick'));
    }, intervalMs);
    this.timer.unref();
  }

  /** Resolves when the run in progress (and any already queued behind it) has ended; never rejects. */
  idle(): Promise<void> {
    return this.chain.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Stops the timer and waits for the run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain.catch(() => undefined);
  }

  private async settle(teamId: number): Promise<void> {
    for (const j of this.jobs) if (j.settle) await j.settle(teamId);
  }

  private nextDue(teamId: number, until: number): number | undefined {
    let min: number | undefined;
    for (const j of this.jobs) {
      const at = j.nextDue(teamId, until);
      if (at !== undefined && (min === undefined || at < min)) min = at;
    }
    return min;
  }

  /** Runs the team's due items of every job; returns how many it attempted. */
  private async runTeam(teamId: number, report: RunReport): Promise<number> {
    let attempted = 0;
    if (this.paused(teamId)) return 0;
    for (const job of this.jobs) {
      for (const item of job.due(teamId, this.clocks.now(teamId))) {
        const key = `${job.name}:${teamId}:${item.id}`;
        if (this.quarantined.has(key)) continue;
        attempted++;
        try {
          report.ran.push({ job: job.name, teamId, id: item.id, outcome: await job.run(teamId, item) });
          this.tries.delete(key);
        } catch (err) {
          report.errors.push(err);
          this.onError(err, key);
          this.failedTry(job, teamId, item, key, err);
        }
      }
    }
    return attempted;
  }

  private failedTry(job: DueJob, teamId: number, item: DueItem, key: string, err: unknown) {
    const n = (this.tries.get(key) ?? 0) + 1;
    if (n < this.maxTries) {
      this.tries.set(key, n);
      return;
    }
    this.tries.delete(key);
    try {
      job.giveUp(teamId, item, err);
    } catch (e) {
      this.quarantined.add(key);
      this.onError(e, `${key} (giving up)`);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
