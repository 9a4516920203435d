import { expect } from 'vitest';

// Date-cursor paging under ties (src/db/ties.ts): writes keep true timestamps, so many records can
// share a millisecond, and a client pages by handing back the last record's date.

export interface Paged {
  id: number;
}

/**
 * Pages a date-cursor list to its end — `fetch(undefined)` first, then `fetch(date of the last
 * record)` — and checks every page against the whole-run rule:
 *  - a page is in order (by date, then id, in the list's direction);
 *  - a page longer than `limit` goes past it only with records sharing the date of its
 *    `limit`-th record (the tied run), and a page shorter than `limit` is the last non-empty one;
 *  - no page ends inside a run: every date of a later page lies strictly beyond the cursor.
 * Answers the pages (the final empty one included) so the caller can assert their sizes and that
 * their union is every record exactly once.
 */
export async function pageByDate<R extends Paged>(
  fetch: (cursor: string | undefined) => Promise<R[]>,
  dateOf: (r: R) => string,
  opts: { limit: number; ascending?: boolean; maxPages?: number },
): Promise<R[][]> {
  const sign = opts.ascending ? 1 : -1;
  const ms = (r: R) => Date.parse(dateOf(r));
  const pages: R[][] = [];
  let cursor: string | undefined;
  for (let n = 0; n < (opts.maxPages ?? 50); n++) {
    const page = await fetch(cursor);
    pages.push(page);
    if (!page.length) return pages;
    for (let i = 1; i < page.length; i++) {
      const [a, b] = [page[i - 1]!, page[i]!];
      const byDate = Math.sign(ms(b) - ms(a));
      expect(byDate === sign || (byDate === 0 && Math.sign(b.id - a.id) === sign), `page ${n} out of order at ${i}`).toBe(true);
    }
    if (cursor !== undefined) {
      const c = Date.parse(cursor);
      expect(page.every((r) => Math.sign(ms(r) - c) === sign), `page ${n} goes back to the cursor's run`).toBe(true);
    }
    if (page.length > opts.limit) {
      const edge = ms(page[opts.limit - 1]!);
      expect(page.slice(opts.limit - 1).map(ms), `page ${n} extends past limit with other dates`).toEqual(page.slice(opts.limit - 1).map(() => edge));
    }
    if (page.length < opts.limit) {
      expect(await fetch(dateOf(page.at(-1)!)), 'a short page is the last one').toEqual([]);
      pages.push([]);
      return pages;
    }
    cursor = dateOf(page.at(-1)!);
  }
  throw new Error(`no end after ${opts.maxPages ?? 50} pages`);
}

/** The ids of all pages in order, checked to hold each of `expected` exactly once. */
export function expectEachOnce(pages: Paged[][], expected: number[]) {
  const seen = pages.flat().map((r) => r.id);
  expect(new Set(seen).size, 'a record was repeated').toBe(seen.length);
  expect([...seen].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
  return seen;
}
