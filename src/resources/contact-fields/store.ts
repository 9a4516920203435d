import { and, asc, eq } from 'drizzle-orm';
import { inJson } from '../../db/json-in.js';
import type { Db } from '../../db/open.js';
import { contactFields } from '../../db/schema.js';

export type FieldRow = typeof contactFields.$inferSelect;

export function listFields(db: Db, teamId: number): FieldRow[] {
  return db.select().from(contactFields).where(eq(contactFields.teamId, teamId)).orderBy(asc(contactFields.id)).all();
}

export function findFieldByTitle(db: Db, teamId: number, title: string): FieldRow | undefined {
  return db.select().from(contactFields).where(and(eq(contactFields.teamId, teamId), eq(contactFields.title, title))).get();
}

export function createField(db: Db, teamId: number, title: string, now: number): FieldRow {
  return db.insert(contactFields).values({ teamId, title, created: now }).returning().get();
}

/** The subset of `ids` that are field ids of this team. */
export function existingFieldIds(db: Db, teamId: number, ids: number[]): Set<number> {
  if (!ids.length) return new Set();
  const rows = db
    .select({ id: contactFields.id })
    .from(contactFields)
    .where(and(eq(contactFields.teamId, teamId), inJson(contactFields.id, ids)))
    .all();
  return new Set(rows.map((r) => r.id));
}
