import type { AppContext } from '../../context.js';
import { badDataAt } from '../../core/errors.js';
import { inTransaction } from '../../db/open.js';
import { noSuchConversation } from '../conversations/errors.js';
import { getConversation } from '../conversations/store.js';
import { sendEmail } from '../email/send.service.js';
import { checkSender } from '../inboxes/sender.js';
import { sendOne } from './send.service.js';
import { getMessage, type MessageRow } from './store.js';

export interface AgentReply {
  conversation_id: number;
  member_id: number;
  text?: string | undefined;
  media_url?: string | undefined;
}

/**
 * A team member replies from the Heymarket app (POST /__mock/agent/send): the message goes out
 * exactly as a send to that conversation would (outbox, delivery, magic recipients) and fires
 * message_sent, which API sends do not by default.
 */
export function agentSend(ctx: AppContext, teamId: number, b: AgentReply): MessageRow {
  return inTransaction(ctx.db, () => {
    const conv = getConversation(ctx.db, teamId, b.conversation_id);
    if (!conv) throw noSuchConversation('conversation_id', b.conversation_id);
    checkSender(ctx, teamId, conv.inboxId, b.member_id, undefined, { inbox: 'conversation_id', creator: 'member_id' });
    let id: number;
    if (conv.channel === 'email') {
      if (b.media_url !== undefined) throw badDataAt('media_url', 'an email thread takes text only').coded('unknown_field');
      if (!b.text?.trim()) throw badDataAt('text', 'a reply in an email thread needs text').coded('required_field');
      id = sendEmail(ctx, teamId, { inbox: conv.inboxId, creator_id: b.member_id, convo_id: conv.id, text: b.text }, { byAgent: true }).id;
    } else {
      id = sendOne(
        ctx,
        teamId,
        { inbox_id: conv.inboxId, creator_id: b.member_id, chat_id: conv.id, ...(b.text !== undefined ? { text: b.text } : {}), ...(b.media_url !== undefined ? { media_url: b.media_url } : {}) },
        { byAgent: true },
      ).id;
    }
    return getMessage(ctx.db, teamId, id)!;
  });
}
