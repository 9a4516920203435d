import { and, asc, count, desc, eq, getTableColumns, gt, is, lt, or, sql, SQL } from 'drizzle-orm';
import { inJson, inJsonPlaceholder } from '../../db/json-in.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { restOfRun, withWholeRuns } from '../../db/ties.js';
import { contactChannels, contactTags, contacts, tags } from '../../db/schema.js';
import type { TagRow } from '../tags/store.js';

export type ContactRow = typeof contacts.$inferSelect;

export type ContactInsert = Omit<typeof contacts.$inferInsert, 'id' | 'teamId'>;
export type ContactPatch = Partial<Omit<ContactRow, 'id' | 'teamId' | 'uuid' | 'created'>>;
export type ChannelRow = typeof contactChannels.$inferSelect;

export function getContact(db: Db, teamId: number, id: number): ContactRow | undefined {
  return prepared(db, 'contacts.byId', () =>
    db
      .select()
      .from(contacts)
      .where(and(eq(contacts.teamId, sql.placeholder('teamId')), eq(contacts.id, sql.placeholder('id'))))
      .prepare(),
  ).get({ teamId, id });
}

export function getContactByUuid(db: Db, teamId: number, uuid: string): ContactRow | undefined {
  return prepared(db, 'contacts.byUuid', () =>
    db
      .select()
      .from(contacts)
      .where(and(eq(contacts.teamId, sql.placeholder('teamId')), eq(contacts.uuid, sql.placeholder('uuid'))))
      .prepare(),
  ).get({ teamId, uuid });
}

export interface ContactQuery {
  /** Date cursor in epoch ms: before it when descending, after it when ascending. */
  cursor?: number;
  ascending: boolean;
  order: 'updated' | 'created';
  limit: number;
  offset: number;
  /** The client asked for an offset page (`page`): answer exactly that slice, no whole runs. */
  exactPage?: boolean;
  /** Case-insensitive substring of name, phone or email. */
  filter?: string;
  /** Only contacts owned by this member. */
  assignedTo?: number;
}

function queryWhere(teamId: number, q: Omit<ContactQuery, 'limit' | 'offset'>): SQL | undefined {
  const col = q.order === 'created' ? contacts.created : contacts.updated;
  const parts: (SQL | undefined)[] = [eq(contacts.teamId, teamId)];
  if (q.cursor !== undefined) parts.push(q.ascending ? gt(col, q.cursor) : lt(col, q.cursor));
  if (q.assignedTo !== undefined) parts.push(eq(contacts.assignedUserId, q.assignedTo));
  if (q.filter) {
    const pattern = `%${q.filter.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
    const likes = [contacts.displayName, contacts.first, contacts.last, contacts.phone, contacts.email].map(
      (c) => sql`${c} LIKE ${pattern} ESCAPE '\\'`,
    );
    parts.push(or(...likes));
  }
  return and(...parts);
}

export function listContacts(db: Db, teamId: number, q: ContactQuery): ContactRow[] {
  const col = q.order === 'created' ? contacts.created : contacts.updated;
  const dir = q.ascending ? asc : desc;
  const page = db.select().from(contacts).where(queryWhere(teamId, q)).orderBy(dir(col), dir(contacts.id)).limit(q.limit).offset(q.offset).all();
  if (q.offset || q.exactPage) return page;
  return withWholeRuns(page, q.limit, (r) => (q.order === 'created' ? r.created : r.updated), (last) =>
    db.select().from(contacts).where(and(queryWhere(teamId, { ...q, cursor: undefined }), restOfRun(col, contacts.id, last, q.ascending))).orderBy(dir(contacts.id)).all(),
  );
}

export function countContacts(db: Db, teamId: number, q: Omit<ContactQuery, 'limit' | 'offset'>): number {
  return db.select({ n: count() }).from(contacts).where(queryWhere(teamId, q)).get()?.n ?? 0;
}

/**
 * The insert's columns come from the table, not from whichever call came first: every column but
 * the id is a placeholder, so one prepared statement serves every create whatever keys it carries.
 * A key left out takes the column's default (or null), applied here in code.
 */
const contactInsertColumns = Object.entries(getTableColumns(contacts)).flatMap(([key, col]) => {
  if (key === 'id') return [];
  if (is(col.default, SQL) || col.defaultFn || col.onUpdateFn) throw new Error(`contacts.${key}: a default in SQL or a function needs handling in insertContact`);
  return [{ key, fallback: col.hasDefault ? col.default : null }];
});

/** What every new contact starts as, whoever creates it (the API, a list, a seed). */
export interface NewContact {
  uuid: string;
  phone: string | null;
  email: string;
  first: string;
  last: string;
  displayName: string;
  creatorId: number | null;
  now: number;
}

/** A new contact's row: the given values, and a new contact's for the rest (no avatar or custom values, rev 1); `extra` sets more. */
export function newContactRow(c: NewContact, extra: Partial<ContactInsert> = {}): ContactInsert {
  const { now, ...given } = c;
  return { avatar: '', custom: {}, assignedUserId: null, unsubscribed: false, emailSuppressions: [], ...given, op: 'create', rev: 1, created: now, updated: now, ...extra };
}

export function insertContact(db: Db, teamId: number, values: ContactInsert): ContactRow {
  const given: Record<string, unknown> = { ...values, teamId };
  const row = Object.fromEntries(contactInsertColumns.map(({ key, fallback }) => [key, given[key] !== undefined ? given[key] : fallback]));
  const stmt = prepared(db, 'contacts.insert', () =>
    db
      .insert(contacts)
      .values(Object.fromEntries(contactInsertColumns.map(({ key }) => [key, sql.placeholder(key)])) as unknown as typeof contacts.$inferInsert)
      .returning()
      .prepare(),
  );
  return stmt.get(row)!;
}

/** Applies `patch` and bumps rev. Channels are the caller's business (see setPrimaryChannel). */
export function updateContact(db: Db, before: ContactRow, patch: ContactPatch): ContactRow {
  return db
    .update(contacts)
    .set({ ...patch, rev: sql`${contacts.rev} + 1` })
    .where(and(eq(contacts.teamId, before.teamId), eq(contacts.id, before.id)))
    .returning()
    .get();
}

export function deleteContact(db: Db, teamId: number, id: number): boolean {
  return db.delete(contacts).where(and(eq(contacts.teamId, teamId), eq(contacts.id, id))).run().changes > 0;
}

export function deleteContacts(db: Db, teamId: number, ids: number[]): number {
  if (!ids.length) return 0;
  return db.delete(contacts).where(and(eq(contacts.teamId, teamId), inJson(contacts.id, ids))).run().changes;
}

export function getContactsByUuids(db: Db, teamId: number, uuids: string[]): ContactRow[] {
  if (!uuids.length) return [];
  return db.select().from(contacts).where(and(eq(contacts.teamId, teamId), inJson(contacts.uuid, uuids))).all();
}

export function getContactsByIds(db: Db, teamId: number, ids: number[]): ContactRow[] {
  if (!ids.length) return [];
  return db.select().from(contacts).where(and(eq(contacts.teamId, teamId), inJson(contacts.id, ids))).all();
}

// --- channels -------------------------------------------------------------------------------
// Channels are the contact's addresses. The contact's `phone` and `email` columns mirror its
// first (lowest id) channel of that type; the service keeps the two in step.

export type ChannelInsert = Pick<ChannelRow, 'channelType' | 'channelId'> & Partial<Pick<ChannelRow, 'channelHandle' | 'infoChannel'>>;

export function listChannels(db: Db, teamId: number, contactId: number): ChannelRow[] {
  return db
    .select()
    .from(contactChannels)
    .where(and(eq(contactChannels.teamId, teamId), eq(contactChannels.contactId, contactId)))
    .orderBy(asc(contactChannels.id))
    .all();
}

/** Channels of many contacts, grouped by contact id, each list in id order. */
export function channelsOfContacts(db: Db, teamId: number, contactIds: number[]): Map<number, ChannelRow[]> {
  const out = new Map<number, ChannelRow[]>();
  if (!contactIds.length) return out;
  const rows = prepared(db, 'contacts.channelsOf', () =>
    db
      .select()
      .from(contactChannels)
      .where(and(eq(contactChannels.teamId, sql.placeholder('teamId')), inJsonPlaceholder(contactChannels.contactId, 'ids')))
      .orderBy(asc(contactChannels.id))
      .prepare(),
  ).all({ teamId, ids: JSON.stringify(contactIds) });
  for (const r of rows) {
    const list = out.get(r.contactId) ?? [];
    list.push(r);
    out.set(r.contactId, list);
  }
  return out;
}

export function firstChannel(db: Db, teamId: number, contactId: number, type: string): ChannelRow | undefined {
  return prepared(db, 'contacts.firstChannel', () =>
    db
      .select()
      .from(contactChannels)
      .where(
        and(
          eq(contactChannels.teamId, sql.placeholder('teamId')),
          eq(contactChannels.contactId, sql.placeholder('contactId')),
          eq(contactChannels.channelType, sql.placeholder('type')),
        ),
      )
      .orderBy(asc(contactChannels.id))
      .limit(1)
      .prepare(),
  ).get({ teamId, contactId, type });
}

export function insertChannel(db: Db, teamId: number, contactId: number, ch: ChannelInsert, now: number): ChannelRow {
  const p = (name: string) => sql.placeholder(name);
  return prepared(db, 'contacts.insertChannel', () =>
    db
      .insert(contactChannels)
      .values({ teamId: p('teamId'), contactId: p('contactId'), channelType: p('type'), channelId: p('value'), channelHandle: p('handle'), infoChannel: p('info'), created: p('now'), updated: p('now') })
      .returning()
      .prepare(),
  ).get({ teamId, contactId, type: ch.channelType, value: ch.channelId, handle: ch.channelHandle ?? '', info: ch.infoChannel ?? '', now })!;
}

export function updateChannel(db: Db, teamId: number, id: number, patch: Partial<ChannelInsert>, now: number) {
  db.update(contactChannels)
    .set({ ...patch, updated: now })
    .where(and(eq(contactChannels.teamId, teamId), eq(contactChannels.id, id)))
    .run();
}

export function deleteChannel(db: Db, teamId: number, id: number) {
  db.delete(contactChannels).where(and(eq(contactChannels.teamId, teamId), eq(contactChannels.id, id))).run();
}

/** Prepared once: values come as a JSON array of lower-cased strings bound to :values. */
function channelSearch(db: Db) {
  return prepared(db, 'contacts.byChannel', () =>
    db
      .selectDistinct({ contactId: contactChannels.contactId })
      .from(contactChannels)
      .where(
        and(
          eq(contactChannels.teamId, sql.placeholder('teamId')),
          eq(contactChannels.channelType, sql.placeholder('type')),
          inJsonPlaceholder(sql`lower(${contactChannels.channelId})`, 'values'),
        ),
      )
      .prepare(),
  );
}

const searchParams = (teamId: number, type: string, values: string[]) => ({ teamId, type, values: JSON.stringify(values.map((v) => v.toLowerCase())) });

/**
 * Contact ids that have a channel of `type` whose value is one of `values` (emails compared
 * case-insensitively). Uses the (team_id, channel_type, lower(channel_id)) index.
 */
export function contactIdsByChannel(db: Db, teamId: number, type: string, values: string[]): number[] {
  if (!values.length) return [];
  return channelSearch(db)
    .all(searchParams(teamId, type, values))
    .map((r) => r.contactId);
}

/** SQLite's plan for that same query, so a test can prove it is an index lookup. */
export function explainChannelSearch(db: Db, teamId: number, type: string, values: string[]): string[] {
  const stmt = channelSearch(db) as unknown as { stmt: { source: string } };
  const p = searchParams(teamId, type, values);
  const rows = db.$client.prepare(`EXPLAIN QUERY PLAN ${stmt.stmt.source}`).all(p.teamId, p.type, p.values) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

/**
 * Makes the first channel of `type` hold `value`: updated if present, created if missing,
 * removed when `value` is empty. How v1 writes of `phone`/`email` reach the channels.
 */
export function setPrimaryChannel(db: Db, row: ContactRow, type: 'phone' | 'email', value: string, now: number) {
  const first = firstChannel(db, row.teamId, row.id, type);
  // A value the contact already has on a later channel moves to the first one (no twin channels).
  const twin = listChannels(db, row.teamId, row.id).find(
    (c) => c.channelType === type && c.id !== first?.id && c.channelId.toLowerCase() === value.toLowerCase(),
  );
  if (value && twin) deleteChannel(db, row.teamId, twin.id);
  if (!value) {
    if (first) deleteChannel(db, row.teamId, first.id);
  } else if (first) {
    if (first.channelId !== value) updateChannel(db, row.teamId, first.id, { channelId: value }, now);
  } else {
    insertChannel(db, row.teamId, row.id, { channelType: type, channelId: value }, now);
  }
}

/** The phone/email column values the contact's channels call for. */
export function primaryValues(db: Db, row: ContactRow): { phone: string | null; email: string } {
  return {
    phone: firstChannel(db, row.teamId, row.id, 'phone')?.channelId ?? null,
    email: firstChannel(db, row.teamId, row.id, 'email')?.channelId ?? '',
  };
}

// --- tags on contacts -------------------------------------------------------------------------

export function setContactTags(db: Db, teamId: number, contactId: number, tagIds: number[]) {
  db.delete(contactTags).where(and(eq(contactTags.teamId, teamId), eq(contactTags.contactId, contactId))).run();
  tagIds.forEach((tagId, position) => db.insert(contactTags).values({ teamId, contactId, tagId, position }).run());
}

/** Tags of each contact, in the order they were given. */
export function tagsOfContacts(db: Db, teamId: number, contactIds: number[]): Map<number, TagRow[]> {
  const out = new Map<number, TagRow[]>();
  if (!contactIds.length) return out;
  const rows = prepared(db, 'contacts.tagsOf', () =>
    db
      .select({ contactId: contactTags.contactId, tag: tags })
      .from(contactTags)
      .innerJoin(tags, eq(tags.id, contactTags.tagId))
      .where(and(eq(contactTags.teamId, sql.placeholder('teamId')), eq(tags.teamId, sql.placeholder('teamId')), inJsonPlaceholder(contactTags.contactId, 'ids')))
      .orderBy(asc(contactTags.contactId), asc(contactTags.position))
      .prepare(),
  ).all({ teamId, ids: JSON.stringify(contactIds) });
  for (const r of rows) {
    const list = out.get(r.contactId) ?? [];
    list.push(r.tag);
    out.set(r.contactId, list);
  }
  return out;
}

/** Bumps rev/updated of contacts whose tags changed because a tag was deleted. */
export function touchContacts(db: Db, teamId: number, ids: number[], now: number) {
  if (!ids.length) return;
  db.update(contacts)
    .set({ rev: sql`${contacts.rev} + 1`, updated: now, op: 'update' })
    .where(and(eq(contacts.teamId, teamId), inJson(contacts.id, ids)))
    .run();
}

/** The subset of `ids` whose contacts are blocked. */
export function blockedContactIds(db: Db, teamId: number, ids: number[]): Set<number> {
  if (!ids.length) return new Set();
  const rows = db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.teamId, teamId), inJson(contacts.id, ids), eq(contacts.blocked, true)))
    .all();
  return new Set(rows.map((r) => r.id));
}
