import type { Db } from '../../db/open.js';
import { outbox } from '../../db/schema.js';

// Side effects of sends, recorded in one place: the outbox holds what each recipient would have
// received, rendered. Storage never does this by itself; the send services call recordDelivery.

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

export function recordDelivery(db: Db, teamId: number, d: Delivery, now: number): OutboxRow {
  return db
    .insert(outbox)
    .values({
      teamId,
      messageId: d.messageId,
      channel: d.channel,
      from: d.from,
      to: d.to,
      cc: d.cc ?? [],
      subject: d.subject ?? '',
      text: d.text,
      mediaUrl: d.mediaUrl ?? '',
      created: now,
    })
    .returning()
    .get();
}

