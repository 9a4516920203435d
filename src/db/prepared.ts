import type { Db } from './open.js';

/**
 * Caches a prepared statement per database instance (nothing at module scope outlives its db):
 * hot queries are prepared once instead of rebuilt by the query builder on every request.
 */
const perDb = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(db: Db, key: string, build: () => T): T {
  let cache = perDb.get(db);
  if (!cache) {
    cache = new Map();
    perDb.set(db, cache);
  }
  let stmt = cache.get(key) as T | undefined;
  if (stmt === undefined) {
    stmt = build();
    cache.set(key, stmt);
  }
  return stmt;
}
