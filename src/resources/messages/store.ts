import { and, asc, count, desc, eq, gt, gte, isNotNull, lt, lte, min, sql, type SQL } from 'drizzle-orm';
import { inJson, inJsonPlaceholder } from '../../db/json-in.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { broadcasts, contacts, conversations, listMembers, messages, sendKeys } from '../../db/schema.js';
import { restOfRun, withWholeRuns } from '../../db/ties.js';
import type { DeliveryStep } from '../../domain/delivery.js';

export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = Omit<typeof messages.$inferInsert, 'id' | 'teamId'>;

export function getMessage(db: Db, teamId: number, id: number): MessageRow | undefined {
  return db.select().from(messages).where(and(eq(messages.teamId, teamId), eq(messages.id, id))).get();
}

/** Every optional column of an insert with its default, so one prepared statement serves every insert. */
const messageDefaults = {
  text: '',
  rawText: '',
  mediaUrl: '',
  galleryUrl: '',
  userId: null as number | null,
  author: '',
  localId: null as string | null,
  broadcastId: null as number | null,
  templateId: null as number | null,
  surveyId: null as number | null,
  scheduleId: null as number | null,
  activityId: null as string | null,
};

/** Prepared once per database: a broadcast inserts thousands. */
export function insertMessage(db: Db, teamId: number, values: MessageInsert): MessageRow {
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const row = { ...messageDefaults, ...given, teamId };
  const stmt = prepared(db, `messages.insert:${Object.keys(row).sort().join(',')}`, () =>
    db
      .insert(messages)
      .values(Object.fromEntries(Object.keys(row).map((k) => [k, sql.placeholder(k)])) as unknown as typeof messages.$inferInsert)
      .returning()
      .prepare(),
  );
  return stmt.get(row)!;
}

/** Newest first, created strictly before `before` (epoch ms) when given (gap M8). */
export function conversationHistory(db: Db, teamId: number, conversationId: number, before: number | undefined, limit: number): MessageRow[] {
  const where = [eq(messages.teamId, teamId), eq(messages.conversationId, conversationId)];
  if (before !== undefined) where.push(lt(messages.created, before));
  const page = db.select().from(messages).where(and(...where)).orderBy(desc(messages.created), desc(messages.id)).limit(limit).all();
  // The cursor is whole seconds here (gap M8): a page never ends inside a second, so none is skipped.
  return withWholeRuns(page, limit, (r) => Math.floor(r.created / 1000), (last) =>
    db
      .select()
      .from(messages)
      .where(and(eq(messages.teamId, teamId), eq(messages.conversationId, conversationId), sql`${messages.created} / 1000 = ${last.value}`, lt(messages.id, last.id)))
      .orderBy(desc(messages.id))
      .all(),
  );
}

export interface MessageQuery {
  cursor?: number;
  order: 'created' | 'updated';
  ascending: boolean;
  limit: number;
  offset: number;
  /** An offset page was asked for: exactly that slice, no whole runs (src/db/ties.ts). */
  exactPage?: boolean;
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
  const page = db.select().from(messages).where(queryWhere(teamId, q)).orderBy(dir(col), dir(messages.id)).limit(q.limit).offset(q.offset).all();
  if (q.offset || q.exactPage) return page;
  return withWholeRuns(page, q.limit, (r) => (q.order === 'updated' ? r.updated : r.created), (last) =>
    db.select().from(messages).where(and(queryWhere(teamId, { ...q, cursor: undefined }), restOfRun(col, messages.id, last, q.ascending))).orderBy(dir(messages.id)).all(),
  );
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

/** `fingerprint`: what the first request asked for (compose.ts fingerprintOf), '' when not recorded. */
export function putSendKey(db: Db, teamId: number, scope: string, localId: string, response: Record<string, unknown>, now: number, fingerprint = '') {
  db.insert(sendKeys).values({ teamId, scope, localId, response, fingerprint, created: now }).run();
}

/** Replaces the stored answer (a broadcast's in-progress marker by its final answer). */
export function setSendKeyResponse(db: Db, teamId: number, scope: string, localId: string, response: Record<string, unknown>) {
  db.update(sendKeys)
    .set({ response })
    .where(and(eq(sendKeys.teamId, teamId), eq(sendKeys.scope, scope), eq(sendKeys.localId, localId)))
    .run();
}

export function deleteSendKey(db: Db, teamId: number, scope: string, localId: string) {
  db.delete(sendKeys).where(and(eq(sendKeys.teamId, teamId), eq(sendKeys.scope, scope), eq(sendKeys.localId, localId))).run();
}

// --- broadcasts -------------------------------------------------------------------------------

export function insertBroadcast(db: Db, teamId: number, listId: number, localId: string, now: number): number {
  return db.insert(broadcasts).values({ teamId, listId, localId, created: now }).returning({ id: broadcasts.id }).get().id;
}

export function deleteBroadcast(db: Db, teamId: number, id: number) {
  db.delete(broadcasts).where(and(eq(broadcasts.teamId, teamId), eq(broadcasts.id, id))).run();
}

/** The broadcast's first message (lowest id) from id `fromId` on: the one its answer names. */
export function firstOfBroadcast(db: Db, teamId: number, broadcastId: number, fromId = 0): MessageRow | undefined {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.teamId, teamId), eq(messages.broadcastId, broadcastId), gte(messages.id, fromId)))
    .orderBy(asc(messages.id))
    .limit(1)
    .get();
}

/** Which of these conversations already hold a message of the broadcast (an interrupted run resumed). Uses the conversation index. */
export function conversationsWithBroadcast(db: Db, teamId: number, broadcastId: number, conversationIds: readonly number[]): Set<number> {
  if (!conversationIds.length) return new Set();
  const rows = prepared(db, 'messages.broadcastIn', () =>
    db
      .selectDistinct({ id: messages.conversationId })
      .from(messages)
      .where(
        and(
          inJsonPlaceholder(messages.conversationId, 'ids'),
          eq(messages.teamId, sql.placeholder('teamId')),
          eq(messages.broadcastId, sql.placeholder('broadcastId')),
        ),
      )
      .prepare(),
  ).all({ teamId, broadcastId, ids: JSON.stringify(conversationIds) });
  return new Set(rows.map((r) => r.id));
}

// --- undo of a failed broadcast ----------------------------------------------------------------
// A broadcast writes in several transactions (send.service.ts); when one fails, these remove what
// the earlier ones wrote, sparing whatever other requests made of it in between. They span the
// tables a broadcast writes, so they live here rather than in each table's store.

/** Deletes these messages of the team (their outbox entries go with them). */
export function deleteMessages(db: Db, teamId: number, ids: readonly number[]) {
  if (!ids.length) return;
  db.delete(messages).where(and(eq(messages.teamId, teamId), inJson(messages.id, ids))).run();
}

/** Deletes those of these conversations that hold no message (any a later request wrote into stay). */
export function deleteEmptyConversations(db: Db, teamId: number, ids: readonly number[]) {
  if (!ids.length) return;
  db.delete(conversations)
    .where(and(eq(conversations.teamId, teamId), inJson(conversations.id, ids), sql`NOT EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.conversationId} = ${conversations.id})`))
    .run();
}

/** Puts a conversation's activity fields back, unless another write touched it since (`updated` moved on). */
export function restoreConversation(
  db: Db,
  teamId: number,
  id: number,
  expectUpdated: number,
  prior: { status: 'open' | 'closed'; replied: boolean; updated: number },
) {
  db.update(conversations)
    .set(prior)
    .where(and(eq(conversations.teamId, teamId), eq(conversations.id, id), eq(conversations.updated, expectUpdated)))
    .run();
}

/** Deletes those of these contacts that no conversation and no list entry refers to any more. */
export function deleteUnreferencedContacts(db: Db, teamId: number, ids: readonly number[]) {
  if (!ids.length) return;
  db.delete(contacts)
    .where(
      and(
        eq(contacts.teamId, teamId),
        inJson(contacts.id, ids),
        sql`NOT EXISTS (SELECT 1 FROM ${conversations} WHERE ${conversations.contactId} = ${contacts.id})`,
        sql`NOT EXISTS (SELECT 1 FROM ${listMembers} WHERE ${listMembers.contactId} = ${contacts.id})`,
      ),
    )
    .run();
}

// --- delivery progression (src/resources/messages/delivery.ts) --------------------------------

/** Plans the message's next automatic status step, due at `at` by the team's clock. */
export function planDelivery(db: Db, teamId: number, id: number, step: DeliveryStep, at: number) {
  db.update(messages).set({ deliverAt: at, deliverNext: step }).where(and(eq(messages.teamId, teamId), eq(messages.id, id))).run();
}

/** Sets a delivery status and clears any planned step (a hand-moved message takes none). */
export function setDeliveryStatus(db: Db, teamId: number, id: number, v: { status: MessageRow['status']; errorCode: string | null; errorMessage: string | null; updated: number }): MessageRow {
  return db
    .update(messages)
    .set({ ...v, deliverAt: null, deliverNext: null })
    .where(and(eq(messages.teamId, teamId), eq(messages.id, id)))
    .returning()
    .get();
}

export function clearDeliveryStep(db: Db, teamId: number, id: number) {
  db.update(messages).set({ deliverAt: null, deliverNext: null }).where(and(eq(messages.teamId, teamId), eq(messages.id, id))).run();
}

/** Teams with a planned delivery step. */
export function teamsWithDeliveries(db: Db): number[] {
  return db.selectDistinct({ teamId: messages.teamId }).from(messages).where(isNotNull(messages.deliverAt)).all().map((r) => r.teamId);
}

/** The team's earliest planned step at or before `until`. */
export function nextDeliveryAt(db: Db, teamId: number, until: number): number | undefined {
  return (
    db
      .select({ at: min(messages.deliverAt) })
      .from(messages)
      .where(and(eq(messages.teamId, teamId), isNotNull(messages.deliverAt), lte(messages.deliverAt, until)))
      .get()?.at ?? undefined
  );
}

/** The team's messages whose step is due at `now`, in due order. */
export function dueDeliveries(db: Db, teamId: number, now: number): Array<{ id: number }> {
  return db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.teamId, teamId), isNotNull(messages.deliverAt), lte(messages.deliverAt, now)))
    .orderBy(asc(messages.deliverAt), asc(messages.id))
    .all();
}
