import { and, asc, desc, gt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Channel } from './changes.js';
import { afterCommit, type Db } from './open.js';
import { prepared } from './prepared.js';

/**
 * Settings of the control plane's recorders, per database (the app sets them once): how many
 * entries each log keeps per team, how outbound messages progress, and how to wake the due-work
 * runner right after a commit that planned work (so auto delivery is immediate in a running
 * server; tests leave it unset and run due work themselves).
 */
export interface RecordingSettings {
  logMax: number;
  delivery: 'auto' | 'manual';
  wake?: (teamId: number) => void;
}

const settings = new WeakMap<Db, RecordingSettings>();

export function setRecording(db: Db, s: RecordingSettings) {
  settings.set(db, s);
}

export function recording(db: Db): RecordingSettings {
  return settings.get(db) ?? { logMax: 10_000, delivery: 'auto' };
}

/** Asks the runner to look at `teamId` once the current write commits. */
export function wakeAfterCommit(db: Db, teamId: number) {
  const wake = recording(db).wake;
  if (wake) afterCommit(db, () => wake(teamId));
}

/** The logs are the change channels' tables (src/db/changes.ts). */
export type LogTable = Channel;

/** Entries a log drops last: a pending webhook delivery is queued work, not history. */
const KEPT: Record<LogTable, string> = { outbox: '', events: '', deliveries: ` AND status <> 'pending'` };

/**
 * Drops a team's oldest entries of `table` beyond logMax (one indexed look-up per write), except
 * what KEPT names. Pending deliveries are bounded too (decision W9): past logMax of them, the
 * oldest end as failed and go with the rest, so the log stays flat even behind a dead receiver.
 */
export function trimLog(db: Db, table: LogTable, teamId: number) {
  const max = recording(db).logMax;
  if (table === 'deliveries') {
    db.$client
      .prepare(`UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE team_id = ? AND status = 'pending' AND id <= (SELECT id FROM deliveries WHERE team_id = ? AND status = 'pending' ORDER BY id DESC LIMIT 1 OFFSET ?)`)
      .run(teamId, teamId, max);
  }
  db.$client
    .prepare(`DELETE FROM "${table}" WHERE team_id = ? AND id <= (SELECT id FROM "${table}" WHERE team_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)${KEPT[table]}`)
    .run(teamId, teamId, max);
}

/** A team's highest id in `table` (0 when empty), whatever a query's filters: a log answer's `last_id`. */
export function lastLogId(db: Db, table: LogTable, teamId: number): number {
  // Prepared once per table: a held long-poll asks again on every wake.
  const stmt = prepared(db, `log.lastId.${table}`, () => db.$client.prepare(`SELECT max(id) AS id FROM "${table}" WHERE team_id = ?`));
  const row = stmt.get(teamId) as { id: number | null } | undefined;
  return row?.id ?? 0;
}

/** The list convention of every log (control-plane spec, Common rules): the team's rows and the filters, after `since_id`, by id. */
export function logPage(id: SQLiteColumn, conditions: Array<SQL | undefined>, sinceId: number | undefined, order: 'asc' | 'desc') {
  return {
    where: and(...conditions, sinceId === undefined ? undefined : gt(id, sinceId)),
    orderBy: order === 'asc' ? asc(id) : desc(id),
  };
}
