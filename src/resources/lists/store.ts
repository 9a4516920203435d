import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { inJson } from '../../db/json-in.js';
import { restOfRun, withWholeRuns } from '../../db/ties.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { listMembers, lists } from '../../db/schema.js';

export type ListRow = typeof lists.$inferSelect;
export type ListMemberRow = typeof listMembers.$inferSelect;
export type ListInsert = Pick<ListRow, 'uuid' | 'name' | 'localId' | 'kind' | 'creatorId'>;
export type EntryValues = Pick<ListMemberRow, 'contactId' | 'phone' | 'email' | 'first' | 'last'>;

export function getList(db: Db, teamId: number, id: number): ListRow | undefined {
  return db.select().from(lists).where(and(eq(lists.teamId, teamId), eq(lists.id, id))).get();
}

/** Every entry of a list, in the order they were added. */
export function listEntries(db: Db, teamId: number, listId: number): ListMemberRow[] {
  return db
    .select()
    .from(listMembers)
    .where(and(eq(listMembers.teamId, teamId), eq(listMembers.listId, listId)))
    .orderBy(asc(listMembers.id))
    .all();
}

/** Entries of several lists, grouped by list id, each in the order they were added. */
export function entriesOfLists(db: Db, teamId: number, listIds: number[]): Map<number, ListMemberRow[]> {
  const out = new Map<number, ListMemberRow[]>();
  if (!listIds.length) return out;
  const rows = db
    .select()
    .from(listMembers)
    .where(and(eq(listMembers.teamId, teamId), inJson(listMembers.listId, listIds)))
    .orderBy(asc(listMembers.id))
    .all();
  for (const r of rows) {
    const group = out.get(r.listId) ?? [];
    group.push(r);
    out.set(r.listId, group);
  }
  return out;
}

export function createList(db: Db, teamId: number, v: ListInsert, now: number): ListRow {
  return db
    .insert(lists)
    .values({ ...v, teamId, shared: true, archived: false, rev: 1, created: now, updated: now })
    .returning()
    .get();
}

/** Renames (when `name` is given) and bumps rev/updated: every accepted update is a new revision. */
export function touchList(db: Db, before: ListRow, patch: { name?: string }, now: number): ListRow {
  return db
    .update(lists)
    .set({ ...patch, rev: sql`${lists.rev} + 1`, updated: now })
    .where(and(eq(lists.teamId, before.teamId), eq(lists.id, before.id)))
    .returning()
    .get();
}

/** Deletes the list; its entries go with it (foreign key cascade), the contacts stay. */
export function deleteList(db: Db, teamId: number, id: number): boolean {
  return db.delete(lists).where(and(eq(lists.teamId, teamId), eq(lists.id, id))).run().changes > 0;
}

/** Lists updated before `before` (epoch ms), most recent first. */
export function listLists(db: Db, teamId: number, before: number | undefined, limit: number): ListRow[] {
  const where = before === undefined ? eq(lists.teamId, teamId) : and(eq(lists.teamId, teamId), lt(lists.updated, before));
  const page = db.select().from(lists).where(where).orderBy(desc(lists.updated), desc(lists.id)).limit(limit).all();
  return withWholeRuns(page, limit, (r) => r.updated, (last) =>
    db.select().from(lists).where(and(eq(lists.teamId, teamId), restOfRun(lists.updated, lists.id, last, false))).orderBy(desc(lists.id)).all(),
  );
}

/**
 * The team's list created with this local_id, if any ('' means none was given and matches
 * nothing). The literal `local_id <> ''` lets SQLite use the partial unique index.
 */
export function findListByLocalId(db: Db, teamId: number, localId: string): ListRow | undefined {
  if (!localId) return undefined;
  return db
    .select()
    .from(lists)
    .where(and(eq(lists.teamId, teamId), eq(lists.localId, localId), sql`${lists.localId} <> ''`))
    .get();
}

// Entry writes: every one is scoped by the team as well as the list.

// Prepared once per database: a request may write thousands of entries.

const entryParams = (teamId: number, listId: number, v: EntryValues) => ({ teamId, listId, contactId: v.contactId, phone: v.phone, email: v.email, first: v.first, last: v.last });

export function insertEntry(db: Db, teamId: number, listId: number, v: EntryValues) {
  const p = (name: string) => sql.placeholder(name);
  prepared(db, 'lists.insertEntry', () =>
    db
      .insert(listMembers)
      .values({ teamId: p('teamId'), listId: p('listId'), contactId: p('contactId'), phone: p('phone'), email: p('email'), first: p('first'), last: p('last') })
      .prepare(),
  ).run(entryParams(teamId, listId, v));
}

export function updateEntry(db: Db, teamId: number, listId: number, id: number, v: EntryValues) {
  const p = (name: string) => sql`${sql.placeholder(name)}`;
  prepared(db, 'lists.updateEntry', () =>
    db
      .update(listMembers)
      .set({ contactId: p('contactId'), phone: p('phone'), email: p('email'), first: p('first'), last: p('last') })
      .where(and(eq(listMembers.teamId, p('teamId')), eq(listMembers.listId, p('listId')), eq(listMembers.id, p('id'))))
      .prepare(),
  ).run({ ...entryParams(teamId, listId, v), id });
}

export function deleteEntries(db: Db, teamId: number, listId: number, ids: number[]) {
  if (!ids.length) return;
  db.delete(listMembers)
    .where(and(eq(listMembers.teamId, teamId), eq(listMembers.listId, listId), inJson(listMembers.id, ids)))
    .run();
}

