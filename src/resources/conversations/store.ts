import { and, asc, count, desc, eq, gt, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { inJson, inJsonPlaceholder } from '../../db/json-in.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { restOfRun, withWholeRuns } from '../../db/ties.js';
import { conversations } from '../../db/schema.js';

export type ConversationRow = typeof conversations.$inferSelect;
export type ConversationInsert = Omit<typeof conversations.$inferInsert, 'id' | 'teamId'>;
export type ConversationPatch = Partial<Omit<ConversationRow, 'id' | 'teamId' | 'created'>>;

// The two look-ups every send makes are prepared once per database.

export function getConversation(db: Db, teamId: number, id: number): ConversationRow | undefined {
  return prepared(db, 'conversations.byId', () =>
    db
      .select()
      .from(conversations)
      .where(and(eq(conversations.teamId, sql.placeholder('teamId')), eq(conversations.id, sql.placeholder('id'))))
      .prepare(),
  ).get({ teamId, id });
}

/** The newest conversation of an inbox with this target (a phone number, or a group's key). */
export function findByTarget(db: Db, teamId: number, inboxId: number, channel: ConversationRow['channel'], target: string): ConversationRow | undefined {
  return prepared(db, 'conversations.byTarget', () =>
    db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.teamId, sql.placeholder('teamId')),
          eq(conversations.inboxId, sql.placeholder('inboxId')),
          eq(conversations.channel, sql.placeholder('channel')),
          eq(conversations.target, sql.placeholder('target')),
        ),
      )
      .orderBy(desc(conversations.id))
      .limit(1)
      .prepare(),
  ).get({ teamId, inboxId, channel, target });
}

/** findByTarget for many targets in one prepared query: the newest conversation per target, keyed by target. */
export function findByTargets(db: Db, teamId: number, inboxId: number, channel: ConversationRow['channel'], targets: readonly string[]): Map<string, ConversationRow> {
  const out = new Map<string, ConversationRow>();
  if (!targets.length) return out;
  const rows = prepared(db, 'conversations.byTargets', () =>
    db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.teamId, sql.placeholder('teamId')),
          eq(conversations.inboxId, sql.placeholder('inboxId')),
          eq(conversations.channel, sql.placeholder('channel')),
          inJsonPlaceholder(conversations.target, 'targets'),
        ),
      )
      .orderBy(asc(conversations.id))
      .prepare(),
  ).all({ teamId, inboxId, channel, targets: JSON.stringify(targets) });
  for (const r of rows) out.set(r.target, r); // ascending id: the newest one wins
  return out;
}

/** Every optional column of an insert with its default, so one prepared statement serves every insert. */
const conversationDefaults = {
  contactId: null as number | null,
  name: '',
  status: 'open' as ConversationRow['status'],
  assignedId: null as number | null,
  creatorId: null as number | null,
  read: true,
  replied: false,
  localId: null as string | null,
  lastInbound: null as number | null,
};

const placeholders = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]));

/** Prepared once per database (a broadcast opens thousands). */
export function insertConversation(db: Db, teamId: number, values: ConversationInsert): ConversationRow {
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const row = { ...conversationDefaults, ...given, teamId };
  const keys = Object.keys(row).sort();
  return prepared(db, `conversations.insert:${keys.join(',')}`, () =>
    db
      .insert(conversations)
      .values(placeholders(keys) as unknown as typeof conversations.$inferInsert)
      .returning()
      .prepare(),
  ).get(row)!;
}

/** Prepared once per database and set of patched columns. */
export function updateConversation(db: Db, teamId: number, id: number, patch: ConversationPatch): ConversationRow {
  const keys = Object.keys(patch).filter((k) => patch[k as keyof ConversationPatch] !== undefined).sort();
  const stmt = prepared(db, `conversations.update:${keys.join(',')}`, () =>
    db
      .update(conversations)
      .set(placeholders(keys) as unknown as ConversationPatch)
      .where(and(eq(conversations.teamId, sql.placeholder('__teamId')), eq(conversations.id, sql.placeholder('__id'))))
      .returning()
      .prepare(),
  );
  return stmt.get({ ...patch, __teamId: teamId, __id: id })!;
}

/** What POST /v1/conversations and /count select; every part is optional but the ordering. */
export interface ConversationQuery {
  /** Date cursor in epoch ms on the `order` column: before it when descending, after it when ascending. */
  cursor?: number;
  ascending: boolean;
  order: 'updated' | 'created';
  /** Only these inboxes; an empty list selects nothing. */
  inboxIds?: number[];
  status?: 'open' | 'closed';
  /** Only conversations not read yet. */
  unreadOnly?: boolean;
  /** Only conversations assigned to this member. */
  assignedTo?: number;
  /** Case-insensitive substring of target or name. */
  filter?: string;
}

export interface ConversationPage extends ConversationQuery {
  limit: number;
  offset: number;
  /** An offset page was asked for: exactly that slice, no whole runs (src/db/ties.ts). */
  exactPage?: boolean;
}

function queryWhere(teamId: number, q: ConversationQuery): SQL | undefined {
  const col = q.order === 'created' ? conversations.created : conversations.updated;
  const parts: (SQL | undefined)[] = [eq(conversations.teamId, teamId)];
  if (q.cursor !== undefined) parts.push(q.ascending ? gt(col, q.cursor) : lt(col, q.cursor));
  if (q.inboxIds !== undefined) parts.push(q.inboxIds.length ? inJson(conversations.inboxId, q.inboxIds) : sql`0`);
  if (q.status !== undefined) parts.push(eq(conversations.status, q.status));
  if (q.unreadOnly) parts.push(eq(conversations.read, false));
  if (q.assignedTo !== undefined) parts.push(eq(conversations.assignedId, q.assignedTo));
  if (q.filter) {
    const pattern = `%${q.filter.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
    parts.push(or(sql`${conversations.target} LIKE ${pattern} ESCAPE '\\'`, sql`${conversations.name} LIKE ${pattern} ESCAPE '\\'`));
  }
  return and(...parts);
}

/** One page of the team's conversations, ordered by `order` (then id) in the asked direction. */
export function listConversations(db: Db, teamId: number, q: ConversationPage): ConversationRow[] {
  const col = q.order === 'created' ? conversations.created : conversations.updated;
  const dir = q.ascending ? asc : desc;
  const page = db.select().from(conversations).where(queryWhere(teamId, q)).orderBy(dir(col), dir(conversations.id)).limit(q.limit).offset(q.offset).all();
  if (q.offset || q.exactPage) return page;
  return withWholeRuns(page, q.limit, (r) => (q.order === 'created' ? r.created : r.updated), (last) =>
    db.select().from(conversations).where(and(queryWhere(teamId, { ...q, cursor: undefined }), restOfRun(col, conversations.id, last, q.ascending))).orderBy(dir(conversations.id)).all(),
  );
}

/** How many conversations match (paging ignored). */
export function countMatching(db: Db, teamId: number, q: ConversationQuery): number {
  return db.select({ n: count() }).from(conversations).where(queryWhere(teamId, q)).get()?.n ?? 0;
}

/**
 * Another conversation of inbox `inboxId` that is the same thread as `c`: same channel and target,
 * or (individual SMS) the same contact. What a transfer into that inbox would duplicate.
 */
export function findSameThread(db: Db, teamId: number, inboxId: number, c: ConversationRow): ConversationRow | undefined {
  const same = and(eq(conversations.channel, c.channel), eq(conversations.target, c.target));
  const match = c.channel === 'sms' && c.contactId !== null ? or(same, and(eq(conversations.channel, 'sms'), eq(conversations.contactId, c.contactId))) : same;
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.teamId, teamId), eq(conversations.inboxId, inboxId), ne(conversations.id, c.id), match))
    .orderBy(desc(conversations.id))
    .limit(1)
    .get();
}

export function getConversationsByIds(db: Db, teamId: number, ids: number[]): ConversationRow[] {
  if (!ids.length) return [];
  return db.select().from(conversations).where(and(eq(conversations.teamId, teamId), inJson(conversations.id, ids))).all();
}
