import { and, asc, count, desc, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
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

export function getContactByPhone(db: Db, teamId: number, phone: string): ContactRow | undefined {
  return prepared(db, 'contacts.byPhone', () =>
    db
      .select()
      .from(contacts)
      .where(and(eq(contacts.teamId, sql.placeholder('teamId')), eq(contacts.phone, sql.placeholder('phone'))))
      .prepare(),
  ).get({ teamId, phone });
}

export interface ContactQuery {
  /** Date cursor in epoch ms: before it when descending, after it when ascending. */
  cursor?: number;
  ascending: boolean;
  order: 'updated' | 'created';
  limit: number;
  offset: number;
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
  return db
    .select()
    .from(contacts)
    .where(queryWhere(teamId, q))
    .orderBy(dir(col), dir(contacts.id))
    .limit(q.limit)
    .offset(q.offset)
    .all();
}

export function countContacts(db: Db, teamId: number, q: Omit<ContactQuery, 'limit' | 'offset'>): number {
  return db.select({ n: count() }).from(contacts).where(queryWhere(teamId, q)).get()?.n ?? 0;
}

export function insertContact(db: Db, teamId: number, values: ContactInsert): ContactRow {
  const row = db.insert(contacts).values({ ...values, teamId }).returning().get();
  syncPrimaryChannels(db, row, undefined);
  return row;
}

/** Applies `patch`, bumps rev; keeps the phone/email channels in step with the columns. */
export function updateContact(db: Db, before: ContactRow, patch: ContactPatch): ContactRow {
  const row = db
    .update(contacts)
    .set({ ...patch, rev: before.rev + 1 })
    .where(and(eq(contacts.teamId, before.teamId), eq(contacts.id, before.id)))
    .returning()
    .get();
  syncPrimaryChannels(db, row, before);
  return row;
}

export function deleteContact(db: Db, teamId: number, id: number): boolean {
  return db.delete(contacts).where(and(eq(contacts.teamId, teamId), eq(contacts.id, id))).run().changes > 0;
}

// --- channels -------------------------------------------------------------------------------

export function listChannels(db: Db, teamId: number, contactId: number): ChannelRow[] {
  return db
    .select()
    .from(contactChannels)
    .where(and(eq(contactChannels.teamId, teamId), eq(contactChannels.contactId, contactId)))
    .orderBy(asc(contactChannels.id))
    .all();
}

/**
 * The contact's `phone` and `email` columns mirror its first channel of that type. When the
 * column changes, the first channel of that type changes with it (created if missing, removed
 * when the column is cleared).
 */
function syncPrimaryChannels(db: Db, row: ContactRow, before: ContactRow | undefined) {
  const pairs: Array<['phone' | 'email', string]> = [
    ['phone', row.phone ?? ''],
    ['email', row.email],
  ];
  for (const [type, value] of pairs) {
    const old = type === 'phone' ? (before?.phone ?? '') : (before?.email ?? '');
    if (before && old === value) continue;
    const first = db
      .select()
      .from(contactChannels)
      .where(and(eq(contactChannels.contactId, row.id), eq(contactChannels.channelType, type)))
      .orderBy(asc(contactChannels.id))
      .limit(1)
      .get();
    if (!value) {
      if (first) db.delete(contactChannels).where(eq(contactChannels.id, first.id)).run();
    } else if (first) {
      db.update(contactChannels).set({ channelId: value, updated: row.updated }).where(eq(contactChannels.id, first.id)).run();
    } else {
      db.insert(contactChannels)
        .values({ teamId: row.teamId, contactId: row.id, channelType: type, channelId: value, created: row.updated, updated: row.updated })
        .run();
    }
  }
}

// --- tags on contacts -------------------------------------------------------------------------

export function setContactTags(db: Db, contactId: number, tagIds: number[]) {
  db.delete(contactTags).where(eq(contactTags.contactId, contactId)).run();
  tagIds.forEach((tagId, position) => db.insert(contactTags).values({ contactId, tagId, position }).run());
}

/** Tags of each contact, in the order they were given. */
export function tagsOfContacts(db: Db, teamId: number, contactIds: number[]): Map<number, TagRow[]> {
  const out = new Map<number, TagRow[]>();
  if (!contactIds.length) return out;
  const rows = db
    .select({ contactId: contactTags.contactId, tag: tags })
    .from(contactTags)
    .innerJoin(tags, eq(tags.id, contactTags.tagId))
    .where(and(eq(tags.teamId, teamId), inArray(contactTags.contactId, contactIds)))
    .orderBy(asc(contactTags.contactId), asc(contactTags.position))
    .all();
  for (const r of rows) {
    const list = out.get(r.contactId) ?? [];
    list.push(r.tag);
    out.set(r.contactId, list);
  }
  return out;
}

/** Bumps rev/updated of contacts whose tags changed because a tag was deleted (one stamp each). */
export function touchContacts(db: Db, teamId: number, ids: number[], stamp: () => number) {
  for (const id of ids) {
    db.update(contacts)
      .set({ rev: sql`${contacts.rev} + 1`, updated: stamp(), op: 'update' })
      .where(and(eq(contacts.teamId, teamId), eq(contacts.id, id)))
      .run();
  }
}

