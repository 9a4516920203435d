import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { inboxMembers, inboxes } from '../../db/schema.js';

export type InboxRow = typeof inboxes.$inferSelect;
export interface InboxWithMembers extends InboxRow {
  /** Member ids, ascending. */
  memberIds: number[];
}

/** Every inbox of the team, ascending id, each with its member ids (ascending). Two prepared queries. */
export function listInboxes(db: Db, teamId: number): InboxWithMembers[] {
  const rows = prepared(db, 'inboxes.list', () =>
    db.select().from(inboxes).where(eq(inboxes.teamId, sql.placeholder('teamId'))).orderBy(asc(inboxes.id)).prepare(),
  ).all({ teamId });
  const links = prepared(db, 'inboxes.members', () =>
    db
      .select({ inboxId: inboxMembers.inboxId, memberId: inboxMembers.memberId })
      .from(inboxMembers)
      .where(eq(inboxMembers.teamId, sql.placeholder('teamId')))
      .orderBy(asc(inboxMembers.inboxId), asc(inboxMembers.memberId))
      .prepare(),
  ).all({ teamId });
  const byInbox = new Map<number, number[]>();
  for (const l of links) {
    const list = byInbox.get(l.inboxId);
    if (list) list.push(l.memberId);
    else byInbox.set(l.inboxId, [l.memberId]);
  }
  return rows.map((r) => ({ ...r, memberIds: byInbox.get(r.id) ?? [] }));
}

/** One inbox of the team with its member ids, or undefined. */
export function getInbox(db: Db, teamId: number, id: number): InboxWithMembers | undefined {
  return listInboxes(db, teamId).find((i) => i.id === id);
}
