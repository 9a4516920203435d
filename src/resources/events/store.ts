import { and, eq } from 'drizzle-orm';
import { announce } from '../../db/changes.js';
import { inTransaction, type Db } from '../../db/open.js';
import { logPage, trimLog } from '../../db/recording.js';
import { events } from '../../db/schema.js';
import { queueDeliveries } from './fanout.js';

// The event log: every webhook the mock would send, written in the same transaction as the change
// that caused it (no event for a rolled-back write, no write without its event). Webhook delivery
// is a consumer of this log; GET /__mock/events reads it.

export type EventRow = typeof events.$inferSelect;

/** The event types of the spec (control-plane.md, Webhooks), with Heymarket's own spelling. */
export const EVENT_TYPES = [
  'message_sent',
  'message_recieved',
  'chat_opened',
  'chat_closed',
  'chat_reassigned',
  'chat_transferred',
  'target_opt_out',
  'target_opt_in',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** `data` is the webhook's event_data: a Message, a Conversation or an opt-change object. */
export function recordEvent(db: Db, teamId: number, type: EventType, data: object, now: number): EventRow {
  // One unit with its deliveries (a savepoint inside the caller's transaction).
  return inTransaction(db, () => {
    const row = db.insert(events).values({ teamId, type, data: data as Record<string, unknown>, created: now }).returning().get();
    trimLog(db, 'events', teamId);
    announce(db, 'events', teamId);
    queueDeliveries(db, teamId, row);
    return row;
  });
}

export function listEvents(db: Db, teamId: number, f: { type?: string | undefined; sinceId?: number | undefined }, limit: number, order: 'asc' | 'desc'): EventRow[] {
  const page = logPage(events.id, [eq(events.teamId, teamId), f.type === undefined ? undefined : eq(events.type, f.type)], f.sinceId, order);
  return db.select().from(events).where(page.where).orderBy(page.orderBy).limit(limit).all();
}

export function getEvent(db: Db, teamId: number, id: number): EventRow | undefined {
  return db.select().from(events).where(and(eq(events.teamId, teamId), eq(events.id, id))).get();
}

