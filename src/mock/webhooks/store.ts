import { and, asc, eq } from 'drizzle-orm';
import { announce } from '../../db/changes.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { logPage } from '../../db/recording.js';
import { deliveries, webhooks, type DeliveryAttempt } from '../../db/schema.js';

// Webhook registrations and their delivery log (control-plane spec, Webhooks). Deliveries are
// queued by the event log itself (src/resources/events/fanout.ts); the engine (./engine.ts) picks
// the due ones and records each attempt here.

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type DeliveryStatus = DeliveryRow['status'];

export function insertWebhook(db: Db, teamId: number, w: { url: string; events: string[] | null; token: string }, now: number): WebhookRow {
  return db.insert(webhooks).values({ teamId, url: w.url, events: w.events, token: w.token, created: now }).returning().get();
}

export function listWebhooks(db: Db, teamId: number): WebhookRow[] {
  return db.select().from(webhooks).where(eq(webhooks.teamId, teamId)).orderBy(asc(webhooks.id)).all();
}

export function getWebhook(db: Db, teamId: number, id: number): WebhookRow | undefined {
  return db.select().from(webhooks).where(and(eq(webhooks.teamId, teamId), eq(webhooks.id, id))).get();
}

/** Removes a webhook; its pending deliveries end as failed (nothing will attempt them again). */
export function deleteWebhook(db: Db, teamId: number, id: number): boolean {
  const gone = db.delete(webhooks).where(and(eq(webhooks.teamId, teamId), eq(webhooks.id, id))).run().changes > 0;
  if (gone) {
    const ended = db
      .update(deliveries)
      .set({ status: 'failed', nextAttemptAt: null })
      .where(and(eq(deliveries.teamId, teamId), eq(deliveries.webhookId, id), eq(deliveries.status, 'pending')))
      .run().changes;
    if (ended) announce(db, 'deliveries', teamId);
  }
  return gone;
}

/** The query's filters as it sends them: an absent one matches all. */
export interface DeliveryFilter {
  webhookId?: number | undefined;
  type?: string | undefined;
  status?: DeliveryStatus | undefined;
  sinceId?: number | undefined;
}

export function listDeliveries(db: Db, teamId: number, f: DeliveryFilter, limit: number, order: 'asc' | 'desc'): DeliveryRow[] {
  const page = logPage(
    deliveries.id,
    [
      eq(deliveries.teamId, teamId),
      f.webhookId === undefined ? undefined : eq(deliveries.webhookId, f.webhookId),
      f.type === undefined ? undefined : eq(deliveries.type, f.type),
      f.status === undefined ? undefined : eq(deliveries.status, f.status),
    ],
    f.sinceId,
    order,
  );
  return db.select().from(deliveries).where(page.where).orderBy(page.orderBy).limit(limit).all();
}

export function getDelivery(db: Db, teamId: number, id: number): DeliveryRow | undefined {
  return db.select().from(deliveries).where(and(eq(deliveries.teamId, teamId), eq(deliveries.id, id))).get();
}


/** Teams with any pending delivery. */
export function teamsWithPending(db: Db): number[] {
  const stmt = prepared(db, 'webhooks.teamsWithPending', () => db.$client.prepare(`SELECT DISTINCT team_id FROM deliveries WHERE status = 'pending' ORDER BY team_id`).pluck());
  return stmt.all() as number[];
}

/** The earliest next attempt of the team's pending deliveries at or before `until`. */
export function nextPendingAt(db: Db, teamId: number, until: number): number | undefined {
  const stmt = prepared(db, 'webhooks.nextPendingAt', () =>
    db.$client.prepare(`SELECT MIN(next_attempt_at) FROM deliveries WHERE team_id = ? AND status = 'pending' AND next_attempt_at <= ?`).pluck(),
  );
  return (stmt.get(teamId, until) as number | null) ?? undefined;
}

/** Per webhook, the oldest pending delivery due at `now` (first attempts leave in event order), oldest first. */
export function duePerWebhook(db: Db, teamId: number, now: number): Array<{ id: number; webhookId: number }> {
  const stmt = prepared(db, 'webhooks.duePerWebhook', () =>
    db.$client.prepare(
      `SELECT MIN(id) AS id, webhook_id AS webhookId FROM deliveries
       WHERE team_id = ? AND status = 'pending' AND next_attempt_at <= ?
       GROUP BY webhook_id ORDER BY id`,
    ),
  );
  return stmt.all(teamId, now) as Array<{ id: number; webhookId: number }>;
}

/** Writes an attempt's outcome (the delivery's new status and next attempt) and tells long-polls. */
export function saveAttempt(db: Db, teamId: number, id: number, attempts: DeliveryAttempt[], status: DeliveryStatus, nextAttemptAt: number | null): DeliveryRow | undefined {
  const row = db
    .update(deliveries)
    .set({ attempts, status, nextAttemptAt })
    .where(and(eq(deliveries.teamId, teamId), eq(deliveries.id, id)))
    .returning()
    .get();
  if (row) announce(db, 'deliveries', teamId);
  return row;
}
