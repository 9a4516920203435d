import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { templates } from '../../db/schema.js';

export type TemplateRow = typeof templates.$inferSelect;

export function getTemplate(db: Db, teamId: number, id: number): TemplateRow | undefined {
  return db.select().from(templates).where(and(eq(templates.teamId, teamId), eq(templates.id, id))).get();
}
