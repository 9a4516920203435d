import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { quote, snapshotRow, TEAM_COLUMN, type TeamTable } from './rows.js';

// A team table's rows for a snapshot, in rowid order, read in steps of about a millisecond that
// touch only the team's own index entries and rows, however big the team or the other teams.
//
// The team's rowids come first, through an index led by team_id. The current schema has few
// indexes of team_id alone: most are (team_id, updated) and the like, where `team_id = ? AND
// rowid > ? ORDER BY rowid` sorts every remaining row of the team for each page. Instead each page
// continues in the index's own order (its other terms, then rowid) after the last entry read, by
// seeks: its ties on every term with a greater rowid, then on all terms but the last with a
// greater last term, and so on. (A row value `(t1, rowid) > (?, ?)` seeks on t1 alone and walks
// all its ties: with a frozen clock every contact shares `updated`.) That order is not rowid
// order, so the rowids are then sorted in steps, and the rows read by rowid, a page at a time.

/** A page of reads aims at this long: its size doubles or shrinks to stay near it, as rows differ a thousandfold in size. */
const PAGE_MS = 1;
const FIRST_PAGE = 64;
const MAX_PAGE = 4096;
/** Rowids sorted in one step (about a millisecond); merges go on in steps of MERGE_STEP. */
const RUN = 4096;
const MERGE_STEP = 4 * RUN;

/** Awaited between steps: where the caller ends its slice and yields to the event loop. */
export type Pause = () => Promise<void>;

type Entry = unknown[];
type Statement = Database.Statement;

export interface TableReads {
  /** The index's terms after team_id, up to the rowid (an INTEGER PRIMARY KEY ends the order: it is the rowid). */
  terms: string[];
  /** The team's first entries, each [...terms, rowid]. */
  first: Statement;
  /**
   * after[i]: the entries whose first i terms are the last one's and whose next one is greater;
   * after[terms.length]: its ties on every term with a greater rowid. Parameters: the team, those
   * values, the limit. afterNull[i]: the same when the last one's term i is NULL (then every
   * value is greater).
   */
  after: Statement[];
  afterNull: Statement[];
  /** The team's rows with the rowids of a JSON array. */
  rows: Statement;
}

/**
 * The statements `t` is read with, over its index led by team_id with the fewest other terms,
 * among those that hold every row (not partial) in ascending BINARY order.
 */
export function tableReads(db: Db, t: TeamTable): TableReads {
  return prepared(db, `snapshot.reads.${t.name}`, () => {
    const client = db.$client;
    const pks = client.prepare('SELECT name, type FROM pragma_table_info(?) WHERE pk > 0').all(t.name) as Array<{ name: string; type: string }>;
    const rowidAlias = pks.length === 1 && pks[0]!.type.toLowerCase() === 'integer' ? pks[0]!.name : undefined;
    const keyCols = client
      .prepare(
        'SELECT l.name AS idx, m.sql AS sql, x.name AS col, x."desc" AS descending, x.coll AS coll FROM pragma_index_list(?) l JOIN pragma_index_xinfo(l.name) x ' +
          "LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name WHERE l.partial = 0 AND x.key = 1 ORDER BY l.name, x.seqno",
      )
      .all(t.name) as Array<{ idx: string; sql: string | null; col: string | null; descending: number; coll: string }>;
    const byIndex = new Map<string, typeof keyCols>();
    for (const c of keyCols) byIndex.set(c.idx, [...(byIndex.get(c.idx) ?? []), c]);
    let best: { idx: string; terms: string[] } | undefined;
    for (const [idx, cols] of byIndex) {
      if (cols[0]!.col !== TEAM_COLUMN) continue;
      const terms: string[] = [];
      let usable = true;
      for (const [i, c] of cols.entries()) {
        if (i === 0) continue;
        if (c.col === rowidAlias && !c.descending) break; // the rowid: nothing after it orders entries
        // An expression (no column name) as its CREATE INDEX writes it, the one place that names it.
        const term = c.col !== null ? quote(c.col) : c.sql ? indexTerms(c.sql)[i]?.replace(/\s+ASC$/i, '') : undefined;
        usable = term !== undefined && !c.descending && c.coll === 'BINARY';
        if (!usable) break;
        terms.push(term!);
      }
      if (usable && (!best || terms.length < best.terms.length)) best = { idx, terms };
    }
    if (!best) throw new Error(`${t.name}: no full index led by ${TEAM_COLUMN} in ascending BINARY order, so a snapshot cannot read it in pages`);
    const { idx, terms } = best;
    const select = `SELECT ${[...terms, 'rowid'].join(', ')} FROM ${quote(t.name)} INDEXED BY ${quote(idx)} WHERE ${TEAM_COLUMN} = ?`;
    // IS: a term's value may be NULL. Only what follows the equal terms is ordered by, so no sort.
    const level = (i: number, next: string) => {
      const same = terms.slice(0, i).map((term) => ` AND ${term} IS ?`).join('');
      return client.prepare(`${select}${same} AND ${next} ORDER BY ${[...terms.slice(i), 'rowid'].join(', ')} LIMIT ?`).raw();
    };
    return {
      terms,
      first: client.prepare(`${select} ORDER BY ${[...terms, 'rowid'].join(', ')} LIMIT ?`).raw(),
      after: [...terms.map((term, i) => level(i, `${term} > ?`)), level(terms.length, 'rowid > ?')],
      afterNull: terms.map((term, i) => level(i, `${term} IS NOT NULL`)),
      // Looked up by rowid (+team_id keeps the planner off the team index). The rowids were the
      // team's when found and its own writes wait meanwhile, so the team_id test only guards.
      rows: client.prepare(`SELECT * FROM ${quote(t.name)} WHERE rowid IN (SELECT value FROM json_each(?)) AND +${TEAM_COLUMN} = ? ORDER BY rowid`),
    };
  });
}

/** The terms of a CREATE INDEX's column list, split at its top-level commas. */
function indexTerms(sql: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (`'"\`[`.includes(c)) {
      i = sql.indexOf(c === '[' ? ']' : c, i + 1); // a doubled quote closes and opens again
      if (i < 0) break;
    } else if (c === '(' && depth++ === 0) {
      start = i + 1;
    } else if ((c === ')' && --depth === 0) || (c === ',' && depth === 1)) {
      terms.push(sql.slice(start, i).trim());
      if (c === ')') break;
      start = i + 1;
    }
  }
  return terms;
}

/**
 * Hands each row the team owns in `t` to `visit`, in rowid order and as snapshotRow shows it,
 * awaiting `pause` before every step (a page, a sort step).
 */
export async function eachRow(db: Db, t: TeamTable, teamId: number, pause: Pause, visit: (row: Record<string, unknown>) => void): Promise<void> {
  const reads = tableReads(db, t);
  const found = await teamRowids(reads, teamId, pause);
  const rowids = reads.terms.length ? await sortInSteps(found, pause) : found;
  let size = FIRST_PAGE;
  for (let i = 0; i < rowids.length; ) {
    await pause();
    const start = performance.now();
    const page = rowids.subarray(i, i + size);
    for (const row of reads.rows.all(`[${page.join(',')}]`, teamId) as Array<Record<string, unknown>>) visit(snapshotRow(t, row));
    i += page.length;
    size = nextSize(size, performance.now() - start);
  }
}

/** The team's rowids in index order. */
async function teamRowids(reads: TableReads, teamId: number, pause: Pause): Promise<Float64Array> {
  let rowids = new Float64Array(FIRST_PAGE);
  let n = 0;
  let size = FIRST_PAGE;
  let last: Entry | undefined;
  for (;;) {
    await pause();
    const start = performance.now();
    const page = last ? entriesAfter(reads, teamId, last, size) : (reads.first.all(teamId, size) as Entry[]);
    if (n + page.length > rowids.length) {
      const grown = new Float64Array(Math.max(2 * rowids.length, n + page.length));
      grown.set(rowids.subarray(0, n));
      rowids = grown;
    }
    for (const entry of page) rowids[n++] = entry[entry.length - 1] as number;
    if (page.length < size) return rowids.subarray(0, n);
    last = page[page.length - 1];
    size = nextSize(size, performance.now() - start);
  }
}

/** Up to `size` entries after `last`, in index order: its ties on every term with a greater rowid, then those on all terms but the last with a greater last term, and so on. */
function entriesAfter(reads: TableReads, teamId: number, last: Entry, size: number): Entry[] {
  const out: Entry[] = [];
  for (let i = reads.terms.length; i >= 0 && out.length < size; i--) {
    const page = (last[i] === null ? reads.afterNull[i]!.all(teamId, ...last.slice(0, i), size - out.length) : reads.after[i]!.all(teamId, ...last.slice(0, i + 1), size - out.length)) as Entry[];
    for (const entry of page) out.push(entry);
  }
  return out;
}

/** Sorted ascending in steps: a run sort, then merges of MERGE_STEP elements (a million rowids take a few hundred ms in all). */
async function sortInSteps(rowids: Float64Array, pause: Pause): Promise<Float64Array> {
  const n = rowids.length;
  for (let lo = 0; lo < n; lo += RUN) {
    await pause();
    rowids.subarray(lo, lo + RUN).sort();
  }
  let src: Float64Array = rowids;
  let dst: Float64Array = new Float64Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; ) {
        await pause();
        for (const stop = Math.min(k + MERGE_STEP, hi); k < stop; k++) dst[k] = j >= hi || (i < mid && src[i]! <= src[j]!) ? src[i++]! : src[j++]!;
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** The next page size: doubled while a page takes under half of PAGE_MS, cut in proportion when it takes over. */
function nextSize(size: number, ms: number): number {
  if (ms < PAGE_MS / 2) return Math.min(2 * size, MAX_PAGE);
  if (ms > PAGE_MS) return Math.max(1, Math.floor((size * PAGE_MS) / ms));
  return size;
}
