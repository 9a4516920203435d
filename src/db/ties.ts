import { and, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * Date-cursor pages never end inside a run of records that share the cursor column's value.
 * Writes keep true timestamps, so many records can share a millisecond; a client pages by handing
 * back the last record's date ("before" it, or "after" it ascending), which cannot say where in
 * such a run the page stopped. So a full page is extended with the rest of its last run (same
 * value, beyond the last id in the page's order): the next page starts strictly past that value,
 * and no record is skipped or repeated. A page can therefore hold more than `limit` records.
 * Offset pages (`page`) are exact slices of the (column, id) order and are never extended.
 */
export function restOfRun(col: SQLiteColumn, idCol: SQLiteColumn, last: { value: number; id: number }, ascending: boolean): SQL {
  return and(eq(col, last.value), ascending ? gt(idCol, last.id) : lt(idCol, last.id))!;
}

export function withWholeRuns<R extends { id: number }>(
  page: R[],
  limit: number,
  valueOf: (r: R) => number,
  rest: (last: { value: number; id: number }) => R[],
): R[] {
  const last = page[page.length - 1];
  if (!last || page.length < limit) return page;
  const more = rest({ value: valueOf(last), id: last.id });
  return more.length ? [...page, ...more] : page;
}
