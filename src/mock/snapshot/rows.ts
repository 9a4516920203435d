import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/open.js';
import * as schema from '../../db/schema.js';

// A team's rows, table by table, found from the database itself: every table with a team_id
// column is team-owned (test/db/team-scope.test.ts holds every table but `teams` to that), so a
// table added later is in every snapshot without a change here. drizzle's schema only tells
// which columns hold JSON or booleans, so a snapshot shows them as such (decision T5).

type Kind = 'json' | 'boolean' | 'integer' | 'real' | 'text' | 'any';

export interface Column {
  name: string;
  kind: Kind;
  notNull: boolean;
  /** May be left out: it has a default, or is the rowid (an INTEGER PRIMARY KEY). */
  optional: boolean;
}

interface ForeignKey {
  from: string;
  table: string;
  to: string;
}

export interface TeamTable {
  name: string;
  columns: Map<string, Column>;
  /** References to other team-owned tables (team_id → teams is not one). */
  references: ForeignKey[];
}

export const TEAM_COLUMN = 'team_id';
const tablesOf = new WeakMap<Db, TeamTable[]>();

/** Column kinds drizzle knows beyond SQLite's declared type. */
function drizzleKinds(): Map<string, Map<string, Kind>> {
  const out = new Map<string, Map<string, Kind>>();
  for (const value of Object.values(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const kinds = new Map<string, Kind>();
    for (const c of config.columns) {
      if (c.columnType === 'SQLiteTextJson') kinds.set(c.name, 'json');
      else if (c.columnType === 'SQLiteBoolean') kinds.set(c.name, 'boolean');
    }
    out.set(config.name, kinds);
  }
  return out;
}

function declaredKind(type: string): Kind {
  const t = type.toLowerCase();
  if (t === 'integer') return 'integer';
  if (t === 'text') return 'text';
  if (t === 'real') return 'real';
  return 'any';
}

/** Every team-owned table (a team_id column), by name. The schema is fixed once migrated, so it is read once per database. */
export function teamTables(db: Db): TeamTable[] {
  const known = tablesOf.get(db);
  if (known) return known;
  const kinds = drizzleKinds();
  const client = db.$client;
  const names = client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const info = client.prepare('SELECT name, type, "notnull" AS required, dflt_value AS dflt, pk FROM pragma_table_info(?) ORDER BY cid');
  const fks = client.prepare('SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)');
  const owned: Array<{ name: string; cols: Array<{ name: string; type: string; required: number; dflt: unknown; pk: number }> }> = [];
  for (const name of names) {
    const cols = info.all(name) as Array<{ name: string; type: string; required: number; dflt: unknown; pk: number }>;
    if (cols.some((c) => c.name === TEAM_COLUMN)) owned.push({ name, cols });
  }
  const ownedNames = new Set(owned.map((t) => t.name));
  const tables = owned.map(({ name, cols }): TeamTable => {
    const pkCount = cols.filter((c) => c.pk > 0).length;
    const columns = new Map<string, Column>();
    for (const c of cols) {
      const rowid = pkCount === 1 && c.pk === 1 && c.type.toLowerCase() === 'integer';
      columns.set(c.name, { name: c.name, kind: kinds.get(name)?.get(c.name) ?? declaredKind(c.type), notNull: c.required === 1, optional: c.dflt !== null || rowid });
    }
    const references = (fks.all(name) as ForeignKey[]).filter((fk) => ownedNames.has(fk.table));
    return { name, columns, references };
  });
  tablesOf.set(db, tables);
  return tables;
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A row of `t` as a snapshot shows it: without team_id, JSON columns as JSON, booleans as true/false (toStored's inverse). */
export function snapshotRow(t: TeamTable, row: Record<string, unknown>): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === TEAM_COLUMN) continue;
    const kind = t.columns.get(key)?.kind;
    if (value === null) obj[key] = null;
    else if (kind === 'json') obj[key] = JSON.parse(value as string);
    else if (kind === 'boolean') obj[key] = value !== 0;
    else obj[key] = value;
  }
  return obj;
}

/** A value of a snapshot row as the column stores it, or why it cannot be stored. */
export function toStored(c: Column, value: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (value === null) return c.notNull ? { ok: false, problem: 'must not be null' } : { ok: true, value: null };
  switch (c.kind) {
    case 'json':
      return value === undefined ? { ok: false, problem: 'must be a JSON value' } : { ok: true, value: JSON.stringify(value) };
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
      return value === 0 || value === 1 ? { ok: true, value } : { ok: false, problem: 'must be true or false' };
    case 'integer':
      return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, problem: 'must be a whole number' };
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false, problem: 'must be a number' };
    case 'text':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, problem: 'must be a string' };
    default:
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? { ok: true, value } : { ok: false, problem: 'must be a string or a number' };
  }
}
