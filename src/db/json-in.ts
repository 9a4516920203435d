import { sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

// `column IN (...)` with the values bound as ONE JSON array parameter: no cap on how many values
// (SQLite limits bound parameters per statement, so a plain IN list would need slicing), and the
// same SQL text for any count, so a statement using it can be prepared once.

/** `column IN (values)` for a list known now. */
export function inJson(column: AnySQLiteColumn | SQL, values: ReadonlyArray<string | number>): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

/** `column NOT IN (values)`, the same way. */
export function notInJson(column: AnySQLiteColumn | SQL, values: ReadonlyArray<string | number>): SQL {
  return sql`${column} NOT IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

/** The same with the array bound at execution to the placeholder `name` (pass JSON.stringify(values)). */
export function inJsonPlaceholder(column: AnySQLiteColumn | SQL, name: string): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`;
}
