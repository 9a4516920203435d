import { and, desc, eq, lt } from 'drizzle-orm';
import { inJson } from '../../db/json-in.js';
import type { Db } from '../../db/open.js';
import { restOfRun, withWholeRuns } from '../../db/ties.js';
import { contactTags, tags } from '../../db/schema.js';

export type TagRow = typeof tags.$inferSelect;

export function createTag(db: Db, teamId: number, v: { uuid: string; tag: string; color: string }, now: number): TagRow {
  return db.insert(tags).values({ teamId, uuid: v.uuid, tag: v.tag, color: v.color, rev: 1, created: now, updated: now }).returning().get();
}

export function getTag(db: Db, teamId: number, id: number): TagRow | undefined {
  return db.select().from(tags).where(and(eq(tags.teamId, teamId), eq(tags.id, id))).get();
}

export function getTagsByIds(db: Db, teamId: number, ids: number[]): TagRow[] {
  if (!ids.length) return [];
  return db.select().from(tags).where(and(eq(tags.teamId, teamId), inJson(tags.id, ids))).all();
}

export function findTagByLabel(db: Db, teamId: number, label: string): TagRow | undefined {
  return db.select().from(tags).where(and(eq(tags.teamId, teamId), eq(tags.tag, label))).get();
}

/** Tags updated before `before` (epoch ms), most recent first (doc: tags). */
export function listTags(db: Db, teamId: number, before: number | undefined, limit: number): TagRow[] {
  const where = before === undefined ? eq(tags.teamId, teamId) : and(eq(tags.teamId, teamId), lt(tags.updated, before));
  const page = db.select().from(tags).where(where).orderBy(desc(tags.updated), desc(tags.id)).limit(limit).all();
  return withWholeRuns(page, limit, (r) => r.updated, (last) =>
    db.select().from(tags).where(and(eq(tags.teamId, teamId), restOfRun(tags.updated, tags.id, last, false))).orderBy(desc(tags.id)).all(),
  );
}

/** Deletes the tag; contact_tags rows go with it (foreign key cascade). Returns the contacts that carried it. */
export function deleteTag(db: Db, teamId: number, id: number): number[] | undefined {
  const carriers = db
    .select({ contactId: contactTags.contactId })
    .from(contactTags)
    .where(and(eq(contactTags.teamId, teamId), eq(contactTags.tagId, id)))
    .all();
  const res = db.delete(tags).where(and(eq(tags.teamId, teamId), eq(tags.id, id))).run();
  return res.changes ? carriers.map((c) => c.contactId) : undefined;
}
