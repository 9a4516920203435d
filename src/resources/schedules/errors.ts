import { badDataAt, notFound } from '../../core/errors.js';
import { toIso } from '../../domain/time.js';
import type { ScheduleRow } from './store.js';

// Named errors of the scheduled-message rules (gap D4). Target, content and inbox rules are the
// send's own (messages/, inboxes/, conversations/ errors.ts): a schedule is a send stored for later.

/** 404 for the path id (worded like the other path look-ups: no field prefix). */
export const noSuchSchedule = (field: string, id: number) => notFound(`no scheduled message with id ${id}`, field);

export const noDefaultUser = (field: string) => badDataAt(field, 'the team has no members to default to; give user_id');

/** Gap D4: once the scheduler ran it (sent or failed), a schedule is history. */
export function alreadyRan(field: string, row: ScheduleRow, action: string) {
  const outcome = row.state === 'sent' ? `sent as message ${row.messageId}` : `failed: ${row.error}`;
  return badDataAt(field, `scheduled message ${row.id} already ran at ${toIso(row.executeAt)} (${outcome}); it can no longer be ${action}`);
}

/** The scheduler is sending it right now (a broadcast in progress). */
export const beingSent = (field: string, row: ScheduleRow, action: string) =>
  badDataAt(field, `scheduled message ${row.id} is being sent right now; it can no longer be ${action}`);
