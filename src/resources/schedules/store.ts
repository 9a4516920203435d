import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { schedules, type ScheduledRequest } from '../../db/schema.js';

export type ScheduleRow = typeof schedules.$inferSelect;
export type ScheduleValues = Pick<ScheduleRow, 'inboxId' | 'userId' | 'localId' | 'executeAt'> & { request: ScheduledRequest };

export function getSchedule(db: Db, teamId: number, id: number): ScheduleRow | undefined {
  return prepared(db, 'schedules.byId', () =>
    db
      .select()
      .from(schedules)
      .where(and(eq(schedules.teamId, sql.placeholder('teamId')), eq(schedules.id, sql.placeholder('id'))))
      .prepare(),
  ).get({ teamId, id });
}

export function insertSchedule(db: Db, teamId: number, v: ScheduleValues, now: number): ScheduleRow {
  return db
    .insert(schedules)
    .values({ ...v, teamId, state: 'pending', messageId: null, error: null, op: 'create', rev: 1, created: now, updated: now })
    .returning()
    .get();
}

/** PUT: replaces what is sent and when; rev + 1 (gap D1). Only for a pending schedule. */
export function replaceSchedule(db: Db, before: ScheduleRow, v: ScheduleValues, now: number): ScheduleRow {
  return db
    .update(schedules)
    .set({ ...v, op: 'update', rev: sql`${schedules.rev} + 1`, updated: now })
    .where(and(eq(schedules.teamId, before.teamId), eq(schedules.id, before.id)))
    .returning()
    .get();
}

export function deleteSchedule(db: Db, teamId: number, id: number): boolean {
  return db.delete(schedules).where(and(eq(schedules.teamId, teamId), eq(schedules.id, id))).run().changes > 0;
}

/** Teams with at least one pending schedule (the runner's tick visits only these). */
export function teamsWithPending(db: Db): number[] {
  return prepared(db, 'schedules.teams', () =>
    db.selectDistinct({ teamId: schedules.teamId }).from(schedules).where(eq(schedules.state, 'pending')).prepare(),
  )
    .all()
    .map((r) => r.teamId);
}

/** The team's pending schedules due at `now` (epoch ms), oldest execute_at first, then by id. Prepared: it runs every second. */
export function dueSchedules(db: Db, teamId: number, now: number): Array<{ id: number }> {
  return prepared(db, 'schedules.due', () =>
    db
      .select({ id: schedules.id })
      .from(schedules)
      .where(and(eq(schedules.teamId, sql.placeholder('teamId')), eq(schedules.state, 'pending'), lte(schedules.executeAt, sql.placeholder('now'))))
      .orderBy(asc(schedules.executeAt), asc(schedules.id))
      .prepare(),
  ).all({ teamId, now });
}

/** The team's earliest pending execute_at at or before `until`, if any (lets the clock stop at each one). */
export function nextDue(db: Db, teamId: number, until: number): number | undefined {
  const row = prepared(db, 'schedules.nextDue', () =>
    db
      .select({ at: sql<number | null>`min(${schedules.executeAt})` })
      .from(schedules)
      .where(and(eq(schedules.teamId, sql.placeholder('teamId')), eq(schedules.state, 'pending'), lte(schedules.executeAt, sql.placeholder('until'))))
      .prepare(),
  ).get({ teamId, until });
  return row?.at ?? undefined;
}

/** Records how the run went: sent with its message, or failed with the reason; rev + 1. */
export function markRan(db: Db, before: ScheduleRow, outcome: { state: 'sent'; messageId: number } | { state: 'failed'; error: string }, now: number) {
  db.update(schedules)
    .set({
      state: outcome.state,
      messageId: outcome.state === 'sent' ? outcome.messageId : null,
      error: outcome.state === 'failed' ? outcome.error : null,
      op: 'update',
      rev: sql`${schedules.rev} + 1`,
      updated: now,
    })
    .where(and(eq(schedules.teamId, before.teamId), eq(schedules.id, before.id)))
    .run();
}
