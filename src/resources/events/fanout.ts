import { announce } from '../../db/changes.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { trimLog } from '../../db/recording.js';

// The event log's one consumer: webhook deliveries (control-plane spec, Webhooks). A recorded
// event gets one pending delivery per webhook of its team that subscribes to its type, written in
// the event's own transaction (decision W1): an event and its deliveries commit or roll back
// together, so a crash between the two can never lose a delivery. The attempts themselves run
// after the commit, off the request path (src/mock/webhooks/engine.ts hears 'deliveries').

/**
 * One pending delivery per subscribing webhook (`events` null = every type), due at `now`, with
 * the event's data kept on the row. Returns how many were queued.
 */
export function queueDeliveries(db: Db, teamId: number, event: { id: number; type: string; data: unknown; created: number }): number {
  const { changes } = prepared(db, 'events.queueDeliveries', () =>
    db.$client.prepare(
      `INSERT INTO deliveries (team_id, webhook_id, event_id, type, url, status, attempts, data, next_attempt_at, created)
       SELECT w.team_id, w.id, ?, ?, w.url, 'pending', '[]', ?, ?, ?
       FROM webhooks w
       WHERE w.team_id = ? AND (w.events IS NULL OR EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = ?))
       ORDER BY w.id`,
    ),
  ).run(event.id, event.type, JSON.stringify(event.data), event.created, event.created, teamId, event.type);
  if (changes > 0) {
    trimLog(db, 'deliveries', teamId);
    announce(db, 'deliveries', teamId);
  }
  return changes;
}
