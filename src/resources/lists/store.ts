import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { listMembers, lists } from '../../db/schema.js';

export type ListRow = typeof lists.$inferSelect;
export type ListMemberRow = typeof listMembers.$inferSelect;

export function getList(db: Db, teamId: number, id: number): ListRow | undefined {
  return db.select().from(lists).where(and(eq(lists.teamId, teamId), eq(lists.id, id))).get();
}

/** Every entry of a list, in the order they were added. */
export function listEntries(db: Db, listId: number): ListMemberRow[] {
  return db.select().from(listMembers).where(eq(listMembers.listId, listId)).orderBy(asc(listMembers.id)).all();
}
