import { badData } from '../../core/errors.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import type { Step } from '../../db/slices.js';
import type { TeamState } from '../seed/schemas.js';
import { quote, TEAM_COLUMN, teamTables, toStored, type TeamTable } from './rows.js';

// A snapshot's rows written back (PUT /__mock/snapshot, a team created or reset with `state`), in
// two passes of short steps (src/db/slices.ts), so a large state is checked and written in slices:
// first every row is checked against everything the store would refuse (columns, types, NOT NULL,
// unique values held by another team or given twice, references to rows outside the state), with
// nothing written; then the checked rows are inserted, parents before children. A refused state
// is found in the first pass, before the team's old rows are touched (decision R7).


/** The tables of a team's credentials: a team's write swaps them in its last step, so no request authenticates as a half-written team. */
export const CREDENTIAL_TABLES: ReadonlySet<string> = new Set(['api_secrets', 'api_keys']);

/** One row ready to insert. */
interface ReadyRow {
  cols: string[];
  values: unknown[];
}

/** The checked state: tables in the order they are written (parents first). */
export interface ReadyState {
  tables: Array<{ name: string; rows: ReadyRow[] }>;
}

/** Parents before children (the references between team tables have no cycle). */
function parentsFirst(tables: TeamTable[]): TeamTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: TeamTable[] = [];
  const seen = new Set<string>();
  const visit = (t: TeamTable, path: Set<string>) => {
    if (seen.has(t.name)) return;
    if (path.has(t.name)) throw new Error(`team tables reference each other in a cycle through ${t.name}`);
    path.add(t.name);
    for (const fk of t.references) if (fk.table !== t.name) visit(byName.get(fk.table)!, path);
    path.delete(t.name);
    seen.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** Every team table in write order (parents first); delete in the reverse order. */
export function tablesInWriteOrder(db: Db): TeamTable[] {
  return prepared(db, 'snapshot.writeOrder', () => parentsFirst(teamTables(db)));
}

/** The unique keys of a table (its integer primary key, and each unique index), as column lists. */
function uniqueKeys(db: Db, t: TeamTable): string[][] {
  return prepared(db, `snapshot.unique.${t.name}`, () => {
    const client = db.$client;
    const keys: string[][] = [];
    const rowid = client.prepare("SELECT name FROM pragma_table_info(?) WHERE pk = 1 AND lower(type) = 'integer' AND (SELECT count(*) FROM pragma_table_info(?) WHERE pk > 0) = 1").pluck().get(t.name, t.name) as string | undefined;
    if (rowid) keys.push([rowid]);
    const indexes = client.prepare('SELECT name FROM pragma_index_list(?) WHERE "unique" = 1').pluck().all(t.name) as string[];
    for (const index of indexes) keys.push(client.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index) as string[]);
    return keys;
  });
}

/**
 * Steps that check every row of `state` for team `teamId` (reading the store, writing nothing)
 * and fill `out` with the rows ready to insert. Every problem is a 400 naming the row and column
 * (`state.contacts[3].uuid`). Values of the team's own stored rows do not conflict: the team's
 * rows are replaced.
 */
export function* checkState(db: Db, teamId: number, state: TeamState, field: string, out: ReadyState): Generator<Step> {
  const tables = tablesInWriteOrder(db);
  const names = new Set(tables.map((t) => t.name));
  for (const name of Object.keys(state)) {
    if (!names.has(name)) throw badData(`${field}.${name}`, `${field}.${name}: not a table of a team; the tables are ${tables.map((t) => t.name).sort().join(', ')}`, 'unknown_field');
  }
  // Per table and column, the values its rows hold: what children of the state may refer to.
  const held = new Map<string, Set<unknown>>();
  for (const t of tables) {
    const rows = state[t.name];
    if (!rows?.length) continue;
    const ready: ReadyRow[] = [];
    out.tables.push({ name: t.name, rows: ready });
    const keys = uniqueKeys(db, t);
    const given = keys.map(() => new Map<string, number>());
    const owner = keys.map((cols) =>
      cols.includes(TEAM_COLUMN)
        ? undefined
        : prepared(db, `snapshot.owner.${t.name}(${cols.join(',')})`, () =>
            db.$client.prepare(`SELECT ${TEAM_COLUMN} FROM ${quote(t.name)} WHERE ${cols.map((c) => `${quote(c)} = ?`).join(' AND ')} LIMIT 1`).pluck(),
          ),
    );
    const referenced = new Set(tables.flatMap((c) => c.references.filter((fk) => fk.table === t.name).map((fk) => fk.to)));
    for (const col of referenced) held.set(`${t.name}.${col}`, new Set());
    for (let i = 0; i < rows.length; i++) {
      yield () => {
        const row = rows[i]!;
        const at = `${field}.${t.name}[${i}]`;
        const cols: string[] = [TEAM_COLUMN];
        const values: unknown[] = [teamId];
        const stored: Record<string, unknown> = { [TEAM_COLUMN]: teamId };
        for (const [key, raw] of Object.entries(row)) {
          const c = t.columns.get(key);
          if (!c) throw badData(`${at}.${key}`, `${at}.${key}: ${t.name} has no column ${key}`, 'unknown_field');
          if (key === TEAM_COLUMN) {
            if (raw !== teamId) throw badData(`${at}.${key}`, `${at}.${key}: must be ${teamId}, the team being written (or left out)`, 'invalid_value');
            continue;
          }
          const value = toStored(c, raw);
          if (!value.ok) throw badData(`${at}.${key}`, `${at}.${key}: ${value.problem}`, 'invalid_type');
          cols.push(key);
          values.push(value.value);
          stored[key] = value.value;
        }
        for (const c of t.columns.values()) {
          if (c.notNull && !c.optional && !(c.name in row) && c.name !== TEAM_COLUMN) throw badData(`${at}.${c.name}`, `${at}.${c.name}: is required`, 'required_field');
        }
        keys.forEach((key, k) => {
          const parts = key.map((c) => stored[c]);
          // SQLite lets any number of rows share a key with a NULL (or a defaulted) part.
          if (parts.some((p) => p === null || p === undefined)) return;
          const where = key.length === 1 ? `${at}.${key[0]}` : at;
          const id = JSON.stringify(parts);
          const twin = given[k]!.get(id);
          if (twin !== undefined) throw badData(where, `${where}: ${t.name}[${twin}] holds the same ${key.join(', ')} (${parts.join(', ')}); it must be unique`, 'invalid_value');
          given[k]!.set(id, i);
          const team = owner[k]?.get(...parts) as number | undefined;
          if (team !== undefined && team !== teamId) {
            throw badData(where, `${where}: ${t.name} ${key.join(', ')} ${parts.join(', ')} is already held by team ${team}; a snapshot keeps its ids, so they must be free`, 'invalid_value');
          }
        });
        for (const fk of t.references) {
          const value = stored[fk.from];
          if (value === null || value === undefined) continue;
          if (!held.get(`${fk.table}.${fk.to}`)?.has(value)) {
            throw badData(`${at}.${fk.from}`, `${at}.${fk.from}: refers to ${fk.table} ${fk.to} ${String(value)}, which is not in this team's state`, 'invalid_value');
          }
        }
        for (const col of referenced) if (stored[col] !== undefined && stored[col] !== null) held.get(`${t.name}.${col}`)!.add(stored[col]);
        ready.push({ cols, values });
      };
    }
  }
}

/** Steps that insert checked rows, parents first; `which` picks tables (the rest are left out). */
export function* insertState(db: Db, ready: ReadyState, which: (table: string) => boolean = () => true): Generator<Step> {
  for (const { name, rows } of ready.tables) {
    if (!which(name)) continue;
    for (const row of rows) {
      yield () => {
        const stmt = prepared(db, `snapshot.insert.${name}(${row.cols.join(',')})`, () =>
          db.$client.prepare(`INSERT INTO ${quote(name)} (${row.cols.map(quote).join(', ')}) VALUES (${row.cols.map(() => '?').join(', ')})`),
        );
        stmt.run(...row.values);
      };
    }
  }
}
