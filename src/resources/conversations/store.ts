import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { conversations } from '../../db/schema.js';

export type ConversationRow = typeof conversations.$inferSelect;
export type ConversationInsert = Omit<typeof conversations.$inferInsert, 'id' | 'teamId'>;
export type ConversationPatch = Partial<Omit<ConversationRow, 'id' | 'teamId' | 'created'>>;

export function getConversation(db: Db, teamId: number, id: number): ConversationRow | undefined {
  return db.select().from(conversations).where(and(eq(conversations.teamId, teamId), eq(conversations.id, id))).get();
}

/** The newest conversation of an inbox with this target (a phone number, or a group's key). */
export function findByTarget(db: Db, teamId: number, inboxId: number, channel: ConversationRow['channel'], target: string): ConversationRow | undefined {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.teamId, teamId), eq(conversations.inboxId, inboxId), eq(conversations.channel, channel), eq(conversations.target, target)))
    .orderBy(desc(conversations.id))
    .limit(1)
    .get();
}

export function insertConversation(db: Db, teamId: number, values: ConversationInsert): ConversationRow {
  return db.insert(conversations).values({ ...values, teamId }).returning().get();
}

export function updateConversation(db: Db, teamId: number, id: number, patch: ConversationPatch): ConversationRow {
  return db
    .update(conversations)
    .set(patch)
    .where(and(eq(conversations.teamId, teamId), eq(conversations.id, id)))
    .returning()
    .get();
}

export function countConversations(db: Db, teamId: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(conversations).where(eq(conversations.teamId, teamId)).get()?.n ?? 0;
}
