import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { inTransaction, type Db } from './open.js';

/**
 * A slice takes no more items once this long has passed (wall clock: a loaded machine writes
 * fewer per slice), so no transaction holds the event loop much longer than this plus one item.
 * Only how writes interleave with other requests depends on it, never what is written.
 */
export const SLICE_MS = 10;

/** What became of one item: what `write` answered, or what it threw (then the item wrote nothing). */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Writes `items` in order, each in its own savepoint, in transactions ("slices") that take items
 * until SLICE_MS have passed (at least one), yielding to the event loop between slices so other
 * requests are served. For work whose items stand alone (a batch where a bad item fails alone):
 * each slice commits on its own, so other requests, and a crash, may see the first items without
 * the rest; every item is whole or absent. An item's throw is its outcome, never the request's.
 *
 * When a slice cannot begin or commit: before anything committed the error is thrown (nothing was
 * written); after, that slice's items and every later one get it as their outcome, so the answer
 * still says exactly what was written.
 */
export async function inSlices<T, R>(db: Db, items: readonly T[], write: (item: T, index: number) => R, sliceMs = SLICE_MS): Promise<Array<Outcome<R>>> {
  const out: Array<Outcome<R>> = [];
  while (out.length < items.length) {
    const start = out.length;
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
