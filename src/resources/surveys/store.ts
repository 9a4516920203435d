import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { surveys } from '../../db/schema.js';

export type SurveyRow = typeof surveys.$inferSelect;

export function getSurvey(db: Db, teamId: number, id: number): SurveyRow | undefined {
  return db.select().from(surveys).where(and(eq(surveys.teamId, teamId), eq(surveys.id, id))).get();
}

/** One page of the team's surveys in id order. */
export function listSurveys(db: Db, teamId: number, limit: number, offset: number): SurveyRow[] {
  return db.select().from(surveys).where(eq(surveys.teamId, teamId)).orderBy(asc(surveys.id)).limit(limit).offset(offset).all();
}

/** Seeding only: surveys are created in the app, never through the API. Ids are fixed by the seed. */
export function insertSurvey(db: Db, teamId: number, v: Omit<SurveyRow, 'teamId'>): SurveyRow {
  return db.insert(surveys).values({ ...v, teamId }).returning().get();
}
