import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { storeReplaced, teamEpoch } from './epochs.js';
import { inTransaction, type Db } from './open.js';

/**
 * A slice takes no more items once this long has passed (wall clock: a loaded machine writes
 * fewer per slice), so no transaction holds the event loop much longer than this plus one item.
 * Only how writes interleave with other requests depends on it, never what is written.
 */
export const SLICE_MS = 10;

/** What became of one item: what `write` answered, or what it threw (then the item wrote nothing). */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface SliceOptions {
  /** The team written to: once its store is replaced (src/db/epochs.ts), the items left are not written (409 store_replaced each). */
  teamId?: number;
  sliceMs?: number;
}

/** Runs in progress per database, so closing can wait for them (slicesSettled). */
const running = new WeakMap<Db, Set<Promise<unknown>>>();

/**
 * Writes `items` in order, each in its own savepoint, in transactions ("slices") that take items
 * until SLICE_MS have passed (at least one), yielding to the event loop between slices so other
 * requests are served. For work whose items stand alone (a batch where a bad item fails alone):
 * each slice commits on its own, so other requests, and a crash, may see the first items without
 * the rest; every item is whole or absent. An item's throw is its outcome, never the request's.
 *
 * When a slice cannot begin or commit (or an item's error ended the whole transaction, as SQLite
 * does on a full disk): before anything committed the error is thrown (nothing was written);
 * after, that slice's items and every later one get it as their outcome, so the answer still
 * says exactly what was written. When the team's store is replaced between slices, the items left
 * get store_replaced.
 */
export function inSlices<T, R>(db: Db, items: readonly T[], write: (item: T, index: number) => R, opts: SliceOptions = {}): Promise<Array<Outcome<R>>> {
  return trackSlices(db, runSlices(db, items, write, opts));
}

/** Registers sliced work of any shape (a list broadcast too) so that closing waits for it (slicesSettled). */
export function trackSlices<T>(db: Db, run: Promise<T>): Promise<T> {
  let set = running.get(db);
  if (!set) running.set(db, (set = new Set()));
  const tracked = run.catch(() => undefined);
  set.add(tracked);
  void tracked.then(() => set.delete(tracked));
  return run;
}

async function runSlices<T, R>(db: Db, items: readonly T[], write: (item: T, index: number) => R, opts: SliceOptions): Promise<Array<Outcome<R>>> {
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  const epoch = opts.teamId === undefined ? undefined : teamEpoch(db, opts.teamId);
  const out: Array<Outcome<R>> = [];
  while (out.length < items.length) {
    const start = out.length;
    if (epoch !== undefined && teamEpoch(db, opts.teamId!) !== epoch) {
      for (let i = start; i < items.length; i++) out.push({ ok: false, error: storeReplaced(`[${i}]`) });
      break;
    }
    const deadline = performance.now() + sliceMs;
    const slice: Array<Outcome<R>> = [];
    try {
      inTransaction(db, () => {
        let i = start;
        do {
          const item = items[i]!;
          const index = i;
          try {
            slice.push({ ok: true, value: inTransaction(db, () => write(item, index)) });
          } catch (error) {
            // The error ended the slice's transaction too: nothing of the slice stands.
            if (!db.$client.inTransaction) throw error;
            slice.push({ ok: false, error });
          }
          i++;
        } while (i < items.length && performance.now() < deadline);
      });
    } catch (error) {
      if (start === 0) throw error;
      for (let i = start; i < items.length; i++) out.push({ ok: false, error });
      break;
    }
    out.push(...slice);
    // After the last slice too: what the caller does next (presenting the answer) starts a fresh turn.
    await nextTurn();
  }
  return out;
}

/** Waits until every run in progress on `db` has ended, or `ms` have passed (before the database closes). */
export async function slicesSettled(db: Db, ms: number): Promise<void> {
  const set = running.get(db);
  if (!set?.size) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all([...set]), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** One unit of a long write (a row, a contact with its channels): short on its own. */
export type Step = () => void;

/**
 * Runs the steps in order in one transaction: at start-up, where nothing else is served yet, and
 * for work known to be small. A failure rolls everything back.
 */
export function runSteps(db: Db, steps: Iterable<Step>): void {
  inTransaction(db, () => {
    for (const step of steps) step();
  });
}

/**
 * Runs the steps in order in transactions that take steps until SLICE_MS have passed, yielding
 * to the event loop between them (tracked like inSlices, so closing waits). Unlike inSlices the
 * steps form one piece of work: the first failure ends it and is thrown; the failing slice rolls
 * back, the slices before it stay, so the caller must have a way back (src/mock/rewrite).
 */
export function runStepsSliced(db: Db, steps: Iterable<Step>, sliceMs = SLICE_MS): Promise<void> {
  return trackSlices(
    db,
    (async () => {
      const it = steps[Symbol.iterator]();
      let next = it.next();
      while (!next.done) {
        const deadline = performance.now() + sliceMs;
        inTransaction(db, () => {
          do {
            next.value();
            next = it.next();
          } while (!next.done && performance.now() < deadline);
        });
        await nextTurn();
      }
    })(),
  );
}
