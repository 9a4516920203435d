import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Walks up from this file to the project's migrations/ (works from src/ under tsx and from dist/). */
function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('migrations/ folder not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Opens (creating if needed) the database, sets WAL + foreign keys, and applies migrations. */
export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const client = new Database(path);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  const db = drizzle(client, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

/** Effects registered by the transaction levels still open on one database; [0] is the outermost. */
const pending = new WeakMap<Db, Array<Array<() => void>>>();

/** Where a failed effect is reported (per database: the app sets its logger). */
const effectErrorHandlers = new WeakMap<Db, (err: unknown) => void>();

/** An effect that fails after its commit is reported here, never turned into a request error. */
export function setEffectErrorHandler(db: Db, handler: (err: unknown) => void) {
  effectErrorHandlers.set(db, handler);
}

/**
 * Runs `fn` in one SQLite transaction: the outermost level starts IMMEDIATE (it takes the write
 * lock before its first read, so a read-then-write never races another connection), inner levels
 * are savepoints. The callback must be synchronous: better-sqlite3 cannot roll back across an
 * await (drizzle-orm #1472), so async work never goes in here; register it with `afterCommit`.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  let stack = pending.get(db);
  if (!stack) pending.set(db, (stack = []));
  const outermost = stack.length === 0;
  const level: Array<() => void> = [];
  stack.push(level);
  let result: T;
  try {
    const tx = db.$client.transaction(fn);
    result = outermost ? tx.immediate() : tx();
  } catch (e) {
    stack.pop(); // a rolled-back level's effects never run
    throw e;
  }
  stack.pop();
  if (!outermost) {
    stack[stack.length - 1]!.push(...level); // they run if and when the outer level commits
    return result;
  }
  for (const effect of level) {
    try {
      effect();
    } catch (err) {
      (effectErrorHandlers.get(db) ?? ((e) => console.error('heymarket-mock: after-commit effect failed', e)))(err);
    }
  }
  return result;
}

/**
 * Registers a side effect (wake long-polls, push to the UI, enqueue webhook deliveries) of the
 * write in progress: it runs once the outermost transaction commits, and never after a rollback.
 * Outside a transaction the write has already committed, so it runs at once. Effects must be
 * quick and must not write: queue real work (e.g. with setImmediate) rather than doing it here.
 */
export function afterCommit(db: Db, effect: () => void): void {
  const stack = pending.get(db);
  if (stack?.length) stack[stack.length - 1]!.push(effect);
  else effect();
}
