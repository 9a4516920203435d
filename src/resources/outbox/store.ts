import { and, eq, sql, type SQL } from 'drizzle-orm';
import { announce } from '../../db/changes.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { logPage, recording, trimLog, wakeAfterCommit } from '../../db/recording.js';
import { messages, outbox } from '../../db/schema.js';
import { nextDeliveryStep } from '../../domain/delivery.js';
import { planDelivery } from '../messages/store.js';

// Side effects of sends, recorded in one place: the outbox holds what each recipient would have
// received, rendered, written in the send's own transaction. It also plans the message's
// delivery (auto progression, magic recipients) and wakes long-polls after the commit.

export type OutboxRow = typeof outbox.$inferSelect;

export interface Delivery {
  messageId: number;
  channel: 'sms' | 'mms' | 'email';
  from: string;
  to: string[];
  cc?: string[];
  subject?: string;
  text: string;
  mediaUrl?: string;
}

/** Prepared once per database: a broadcast records thousands. */
export function recordDelivery(db: Db, teamId: number, d: Delivery, now: number): OutboxRow {
  const p = (name: string) => sql.placeholder(name);
  const row = prepared(db, 'outbox.insert', () =>
    db
      .insert(outbox)
      .values({
        teamId: p('teamId'),
        messageId: p('messageId'),
        channel: p('channel'),
        from: p('from'),
        to: p('to'),
        cc: p('cc'),
        subject: p('subject'),
        text: p('text'),
        mediaUrl: p('mediaUrl'),
        created: p('created'),
      })
      .returning()
      .prepare(),
  ).get({ teamId, messageId: d.messageId, channel: d.channel, from: d.from, to: d.to, cc: d.cc ?? [], subject: d.subject ?? '', text: d.text, mediaUrl: d.mediaUrl ?? '', created: now })!;
  const step = nextDeliveryStep([...d.to, ...(d.cc ?? [])], recording(db).delivery);
  if (step) {
    planDelivery(db, teamId, d.messageId, step, now);
    wakeAfterCommit(db, teamId);
  }
  trimLog(db, 'outbox', teamId);
  announce(db, 'outbox', teamId);
  return row;
}

export interface OutboxEntryRow extends OutboxRow {
  conversationId: number;
  inboxId: number;
  localId: string | null;
  status: string;
  errorCode: string | null;
}

/** The query's filters as it sends them: an absent one matches all. */
export interface OutboxFilter {
  to?: string | undefined;
  inboxId?: number | undefined;
  conversationId?: number | undefined;
  messageId?: number | undefined;
  localId?: string | undefined;
  channel?: 'sms' | 'mms' | 'email' | undefined;
  sinceId?: number | undefined;
}

const entryColumns = {
  id: outbox.id,
  teamId: outbox.teamId,
  messageId: outbox.messageId,
  channel: outbox.channel,
  from: outbox.from,
  to: outbox.to,
  cc: outbox.cc,
  subject: outbox.subject,
  text: outbox.text,
  mediaUrl: outbox.mediaUrl,
  created: outbox.created,
  conversationId: messages.conversationId,
  inboxId: messages.inboxId,
  localId: messages.localId,
  status: messages.status,
  errorCode: messages.errorCode,
};

function filters(teamId: number, f: OutboxFilter): SQL[] {
  const parts: SQL[] = [eq(outbox.teamId, teamId)];
  if (f.inboxId !== undefined) parts.push(eq(messages.inboxId, f.inboxId));
  if (f.conversationId !== undefined) parts.push(eq(messages.conversationId, f.conversationId));
  if (f.messageId !== undefined) parts.push(eq(outbox.messageId, f.messageId));
  if (f.localId !== undefined) parts.push(eq(messages.localId, f.localId));
  if (f.channel !== undefined) parts.push(eq(outbox.channel, f.channel));
  if (f.to !== undefined) {
    const to = f.to.toLowerCase();
    parts.push(sql`EXISTS (SELECT 1 FROM json_each(${outbox.to}) WHERE lower(value) = ${to} UNION ALL SELECT 1 FROM json_each(${outbox.cc}) WHERE lower(value) = ${to})`);
  }
  return parts;
}

export function listOutbox(db: Db, teamId: number, f: OutboxFilter, limit: number, order: 'asc' | 'desc'): OutboxEntryRow[] {
  const page = logPage(outbox.id, filters(teamId, f), f.sinceId, order);
  return db
    .select(entryColumns)
    .from(outbox)
    .innerJoin(messages, eq(messages.id, outbox.messageId))
    .where(page.where)
    .orderBy(page.orderBy)
    .limit(limit)
    .all();
}

export function getOutboxEntry(db: Db, teamId: number, id: number): OutboxEntryRow | undefined {
  return db.select(entryColumns).from(outbox).innerJoin(messages, eq(messages.id, outbox.messageId)).where(and(eq(outbox.teamId, teamId), eq(outbox.id, id))).get();
}


export function clearOutbox(db: Db, teamId: number) {
  db.delete(outbox).where(eq(outbox.teamId, teamId)).run();
}
