import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { restOfRun, withWholeRuns } from '../../db/ties.js';
import { templates } from '../../db/schema.js';

export type TemplateRow = typeof templates.$inferSelect;
export type TemplateInsert = Pick<TemplateRow, 'uuid' | 'name' | 'localId' | 'text' | 'gallery' | 'creatorId' | 'archived'>;
export type TemplatePatch = Partial<Pick<TemplateRow, 'name' | 'localId' | 'text' | 'gallery' | 'archived'>>;

export function getTemplate(db: Db, teamId: number, id: number): TemplateRow | undefined {
  return db.select().from(templates).where(and(eq(templates.teamId, teamId), eq(templates.id, id))).get();
}

export function createTemplate(db: Db, teamId: number, v: TemplateInsert, now: number): TemplateRow {
  return db
    .insert(templates)
    .values({ ...v, teamId, shared: true, op: 'create', rev: 1, created: now, updated: now })
    .returning()
    .get();
}

/** Applies `patch`, bumps rev (gap T1) and marks the op as an update. */
export function updateTemplate(db: Db, before: TemplateRow, patch: TemplatePatch, now: number): TemplateRow {
  return db
    .update(templates)
    .set({ ...patch, op: 'update', rev: sql`${templates.rev} + 1`, updated: now })
    .where(and(eq(templates.teamId, before.teamId), eq(templates.id, before.id)))
    .returning()
    .get();
}

export function deleteTemplate(db: Db, teamId: number, id: number): boolean {
  return db.delete(templates).where(and(eq(templates.teamId, teamId), eq(templates.id, id))).run().changes > 0;
}

/** Templates updated before `before` (epoch ms), most recent first (doc: templates). */
export function listTemplates(db: Db, teamId: number, before: number | undefined, limit: number): TemplateRow[] {
  const where = before === undefined ? eq(templates.teamId, teamId) : and(eq(templates.teamId, teamId), lt(templates.updated, before));
  const page = db.select().from(templates).where(where).orderBy(desc(templates.updated), desc(templates.id)).limit(limit).all();
  return withWholeRuns(page, limit, (r) => r.updated, (last) =>
    db.select().from(templates).where(and(eq(templates.teamId, teamId), restOfRun(templates.updated, templates.id, last, false))).orderBy(desc(templates.id)).all(),
  );
}
