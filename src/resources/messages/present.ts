import type { AppContext } from '../../context.js';
import { presentConversations } from '../conversations/present.js';
import { getConversationsByIds } from '../conversations/store.js';
import { serializeMessage } from './serialize.js';
import type { MessageRow } from './store.js';

/** Rows → Message JSON with each conversation embedded (loaded once per conversation). */
export function presentMessages(ctx: AppContext, teamId: number, rows: MessageRow[]) {
  const ids = [...new Set(rows.map((r) => r.conversationId))];
  const convs = getConversationsByIds(ctx.db, teamId, ids);
  const json = presentConversations(ctx, teamId, convs);
  const byId = new Map(convs.map((c, i) => [c.id, json[i]!]));
  return rows.map((r) => serializeMessage(r, byId.get(r.conversationId)!));
}
