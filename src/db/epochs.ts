import { ApiError } from '../core/errors.js';
import type { Db } from './open.js';

/**
 * A team's epoch moves whenever its store is replaced as a whole (reset, snapshot restore, team
 * delete; a full reset moves every team's), so work written in slices across event-loop turns
 * can tell that the team it began writing to is gone, and stop instead of writing into the new one.
 */
const epochs = new WeakMap<Db, { all: number; teams: Map<number, number> }>();

function of(db: Db) {
  let e = epochs.get(db);
  if (!e) epochs.set(db, (e = { all: 0, teams: new Map() }));
  return e;
}

/** The team's epoch now: equal strings mean its store was not replaced in between. */
export function teamEpoch(db: Db, teamId: number): string {
  const e = of(db);
  return `${e.all}.${e.teams.get(teamId) ?? 0}`;
}

/** Marks the team's store (every team's, without `teamId`) as replaced. */
export function replaceTeamEpoch(db: Db, teamId?: number): void {
  const e = of(db);
  if (teamId === undefined) e.all++;
  else e.teams.set(teamId, (e.teams.get(teamId) ?? 0) + 1);
}

/**
 * What sliced work answers for what it could not write because its team's store was replaced
 * meanwhile: a broadcast as its error (409), a batch for each item left, prefixed by its index.
 */
export const storeReplaced = (what: string) =>
  new ApiError(409, 'bad_data', `${what}: the team was reset, restored or deleted while it was being written, so nothing more was written`).coded('store_replaced');
