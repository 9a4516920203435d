import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
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

/** Prepared once per database: a broadcast records thousands. */
export function recordDelivery(db: Db, teamId: number, d: Delivery, now: number): OutboxRow {
  const p = (name: string) => sql.placeholder(name);
  return prepared(db, 'outbox.insert', () =>
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
}
