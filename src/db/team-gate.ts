import { replaceTeamEpoch } from './epochs.js';
import type { Db } from './open.js';

/**
 * Whole-team operations (a team created, reset, restored, deleted or read whole for a snapshot;
 * a full reset) are written in slices across event-loop turns, so other teams are served
 * meanwhile (decision R7). The gate keeps the half-written team out of sight: such operations run
 * one at a time (a queue, so no two of them race over ids), and while one runs, the teams it
 * holds are held: their requests wait at `pass`, their due work and webhook attempts do not start,
 * and their epoch moves at the start and at the end, so sliced work of theirs already under way
 * stops (src/db/epochs.ts). Teams it does not hold are not slowed beyond sharing the event loop.
 */
export class TeamGate {
  private queue: Promise<unknown> = Promise.resolve();
  /** The teams the running operation holds ('all' for a full reset), and when it ends. */
  private current: { teams: number | 'all'; ended: Promise<void> } | undefined;

  /** Called as each operation ends, before its teams are released (cached credentials forgotten). */
  private readonly releasing = new Set<() => void>();

  constructor(private readonly db: Db) {}

  onRelease(fn: () => void): void {
    this.releasing.add(fn);
  }

  /**
   * Runs `work` once the operations queued before it have ended, holding `teams` while it runs
   * (a function: the team, found when the operation starts, e.g. the id a new team takes).
   */
  run<T>(which: number | 'all' | (() => number), work: () => Promise<T>): Promise<T> {
    const start = async () => {
      const teams = typeof which === 'function' ? which() : which;
      let end!: () => void;
      this.current = { teams, ended: new Promise<void>((r) => (end = r)) };
      this.moveEpoch(teams);
      try {
        return await work();
      } finally {
        for (const fn of this.releasing) fn();
        this.moveEpoch(teams);
        this.current = undefined;
        end();
      }
    };
    const run = this.queue.then(start, start);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Whether the team is held now. */
  holds(teamId: number): boolean {
    const c = this.current;
    return c !== undefined && (c.teams === 'all' || c.teams === teamId);
  }

  /** Undefined when the team is not held (go on at once), else resolves once it is released (and any later hold of it too). */
  pass(teamId: number): Promise<void> | undefined {
    if (!this.holds(teamId)) return undefined;
    return (async () => {
      while (this.current && this.holds(teamId)) await this.current.ended;
    })();
  }

  /** Undefined when no operation runs, else resolves once none does (the queue emptied). */
  quiet(): Promise<void> | undefined {
    if (!this.current) return undefined;
    return (async () => {
      while (this.current) await this.current.ended;
    })();
  }

  private moveEpoch(teams: number | 'all') {
    replaceTeamEpoch(this.db, teams === 'all' ? undefined : teams);
  }
}

const gates = new WeakMap<Db, TeamGate>();

/** The gate of a database (one per database, like its epochs). */
export function teamGate(db: Db): TeamGate {
  let g = gates.get(db);
  if (!g) gates.set(db, (g = new TeamGate(db)));
  return g;
}
