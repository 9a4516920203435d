/**
 * Time, one clock per team. A team's clock stamps its writes and drives its schedules, delivery
 * progression and webhook retries; moving one team's time (POST /__mock/clock) never moves
 * another's. Credentials (JWT expiry) and rate-limit windows follow `real()`, so a client that
 * mints tokens from its own clock keeps working after a test moves the mock's time.
 *
 * Stamps are true times: writes that share a millisecond share a timestamp, and every ordering
 * and cursor breaks the tie by id (see src/db/ties.ts).
 */

/** Real time in epoch milliseconds (injectable so tests can move credentials' time too). */
export type Wall = () => number;

export interface ClockState {
  now: number;
  frozen: boolean;
  offsetMs: number;
}

/** How a team's clock starts: real time, or frozen at an instant (tests). */
export interface ClockStart {
  frozenAt?: number;
}

export class TeamClock {
  private frozenAt: number | undefined;
  private offset = 0;

  constructor(
    private readonly wall: Wall,
    start: ClockStart = {},
  ) {
    this.frozenAt = start.frozenAt;
  }

  /** The team's current time in epoch milliseconds. */
  now(): number {
    return this.frozenAt !== undefined ? this.frozenAt : this.wall() + this.offset;
  }

  /** Stops time at `at` (default: where it stands). */
  freeze(at: number = this.now()): void {
    this.frozenAt = at;
  }

  /** Lets time run again from where it stands. */
  unfreeze(): void {
    if (this.frozenAt !== undefined) this.offset = this.frozenAt - this.wall();
    this.frozenAt = undefined;
  }

  /** Moves time by `ms` (negative goes back), frozen or running. */
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
  }

  /** Jumps to `at`, keeping the frozen or running state. */
  set(at: number): void {
    this.advance(at - this.now());
  }

  /** Back to real time, running. */
  reset(): void {
    this.frozenAt = undefined;
    this.offset = 0;
  }

  state(): ClockState {
    const now = this.now();
    return { now, frozen: this.frozenAt !== undefined, offsetMs: now - this.wall() };
  }
}

/** Every team's clock, created on first use from one start setting. */
export class Clocks {
  private readonly teams = new Map<number, TeamClock>();

  constructor(
    private readonly wall: Wall = Date.now,
    private readonly start: ClockStart = {},
  ) {}

  /** Real time: for credentials and rate-limit windows, never for a team's data. */
  real(): number {
    return this.wall();
  }

  team(teamId: number): TeamClock {
    let clock = this.teams.get(teamId);
    if (!clock) {
      clock = new TeamClock(this.wall, this.start);
      this.teams.set(teamId, clock);
    }
    return clock;
  }

  /** The team's current time: what its writes are stamped with. */
  now(teamId: number): number {
    return this.team(teamId).now();
  }

  /** Drops a team's clock (team deleted or reset): it starts again from the start setting. */
  forget(teamId?: number): void {
    if (teamId === undefined) this.teams.clear();
    else this.teams.delete(teamId);
  }
}
