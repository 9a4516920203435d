import { and, asc, count, desc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { broadcasts, messages, sendKeys } from '../../db/schema.js';

export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = Omit<typeof messages.$inferInsert, 'id' | 'teamId'>;

export function insertMessage(db: Db, teamId: number, values: MessageInsert): MessageRow {
  return db.insert(messages).values({ ...values, teamId }).returning().get();
}

/** Newest first, created strictly before `before` (epoch ms) when given (gap M8). */
export function conversationHistory(db: Db, teamId: number, conversationId: number, before: number | undefined, limit: number): MessageRow[] {
  const where = [eq(messages.teamId, teamId), eq(messages.conversationId, conversationId)];
  if (before !== undefined) where.push(lt(messages.created, before));
  return db.select().from(messages).where(and(...where)).orderBy(desc(messages.created), desc(messages.id)).limit(limit).all();
}

export interface MessageQuery {
  cursor?: number;
  order: 'created' | 'updated';
  ascending: boolean;
  limit: number;
  offset: number;
}

function queryWhere(teamId: number, q: Pick<MessageQuery, 'cursor' | 'order' | 'ascending'>): SQL | undefined {
  const col = q.order === 'updated' ? messages.updated : messages.created;
  const parts: SQL[] = [eq(messages.teamId, teamId)];
  if (q.cursor !== undefined) parts.push(q.ascending ? gt(col, q.cursor) : lt(col, q.cursor));
  return and(...parts);
}

export function listMessages(db: Db, teamId: number, q: MessageQuery): MessageRow[] {
  const col = q.order === 'updated' ? messages.updated : messages.created;
  const dir = q.ascending ? asc : desc;
  return db.select().from(messages).where(queryWhere(teamId, q)).orderBy(dir(col), dir(messages.id)).limit(q.limit).offset(q.offset).all();
}

export function countMessages(db: Db, teamId: number, q: Pick<MessageQuery, 'cursor' | 'order' | 'ascending'>): number {
  return db.select({ n: count() }).from(messages).where(queryWhere(teamId, q)).get()?.n ?? 0;
}

// --- local_id idempotency ---------------------------------------------------------------------

export function getSendKey(db: Db, teamId: number, scope: string, localId: string) {
  return db
    .select()
    .from(sendKeys)
    .where(and(eq(sendKeys.teamId, teamId), eq(sendKeys.scope, scope), eq(sendKeys.localId, localId)))
    .get();
}

export function putSendKey(db: Db, teamId: number, scope: string, localId: string, response: Record<string, unknown>, now: number) {
  db.insert(sendKeys).values({ teamId, scope, localId, response, created: now }).run();
}

export function insertBroadcast(db: Db, teamId: number, listId: number, localId: string, now: number): number {
  return db.insert(broadcasts).values({ teamId, listId, localId, created: now }).returning({ id: broadcasts.id }).get().id;
}
