import type { AppContext } from '../../context.js';
import { blockedContactIds } from '../contacts/store.js';
import { listInboxes } from '../inboxes/store.js';
import { listMembers } from '../team/store.js';
import { serializeConversation, type ConversationJson } from './serialize.js';
import type { ConversationRow } from './store.js';

/** Rows → Conversation JSON, loading inbox members and contacts' blocked flags once per call. */
export function presentConversations(ctx: AppContext, teamId: number, rows: ConversationRow[]): ConversationJson[] {
  if (!rows.length) return [];
  const names = new Map(listMembers(ctx.db, teamId).map((m) => [m.id, `${m.firstName} ${m.lastName}`.trim()]));
  const inboxMembers = new Map(listInboxes(ctx.db, teamId).map((i) => [i.id, i.memberIds]));
  const contactIds = rows.map((r) => r.contactId).filter((id): id is number => id !== null);
  const blocked = blockedContactIds(ctx.db, teamId, contactIds);
  return rows.map((r) =>
    serializeConversation(r, {
      members: (inboxMembers.get(r.inboxId) ?? []).map((id) => ({ id, name: names.get(id) ?? '' })),
      blocked: r.contactId !== null && blocked.has(r.contactId),
    }),
  );
}
