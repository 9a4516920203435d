import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { surveys } from '../../db/schema.js';

export type SurveyRow = typeof surveys.$inferSelect;

export function getSurvey(db: Db, teamId: number, id: number): SurveyRow | undefined {
  return db.select().from(surveys).where(and(eq(surveys.teamId, teamId), eq(surveys.id, id))).get();
}
