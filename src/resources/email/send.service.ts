import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { isTargetProblem, parseEmailTargets, type EmailRecipients } from '../../domain/email-targets.js';
import { toIso } from '../../domain/time.js';
import { recordSent } from '../messages/sent-event.js';
import { recordDelivery } from '../outbox/store.js';
import { assertReachable } from '../contacts/errors.js';
import { contactByEmail, findOrCreateByEmail } from '../contacts/find-or-create.js';
import { conversationInOtherInbox, noSuchConversation, notEmailThread } from '../conversations/errors.js';
import * as conversations from '../conversations/store.js';
import type { ConversationRow } from '../conversations/store.js';
import { newEmailThread } from '../conversations/threads.js';
import type { InboxWithMembers } from '../inboxes/store.js';
import { checkSender } from '../inboxes/sender.js';
import * as messages from '../messages/store.js';
import { badEmailTargets, noEmailTargets, targetsWithConvoId } from './errors.js';
import type { emailSendBody } from './schemas.js';

export type EmailRequest = z.output<typeof emailSendBody>;
type EmailResponse = { id: number; convo_id: number; queued: boolean; date: string; compliance_results: Record<string, unknown> };

/** targets → a new thread with the first to: address as its contact; convo_id → that thread. */
function threadFor(ctx: AppContext, teamId: number, inbox: InboxWithMembers, req: EmailRequest, now: number): { conv: ConversationRow; to: EmailRecipients } {
  if (req.targets && req.convo_id !== undefined) throw targetsWithConvoId('convo_id');
  if (req.convo_id !== undefined) {
    const conv = conversations.getConversation(ctx.db, teamId, req.convo_id);
    if (!conv) throw noSuchConversation('convo_id', req.convo_id);
    if (conv.channel !== 'email') throw notEmailThread('convo_id', conv);
    if (conv.inboxId !== inbox.id) throw conversationInOtherInbox('convo_id', conv, inbox.id);
    for (const address of conv.targets) assertReachable('convo_id', contactByEmail(ctx, teamId, address), address, 'email');
    const [first, ...rest] = conv.targets;
    return { conv, to: { to: first ? [first] : [], cc: rest, origin: {} } };
  }
  if (!req.targets) throw noEmailTargets('targets');
  const parsed = parseEmailTargets(req.targets);
  if (isTargetProblem(parsed)) throw badEmailTargets(parsed.index, parsed.message);
  // Every recipient who is a blocked contact refuses the email, named by the element listing it.
  for (const address of [...parsed.to, ...parsed.cc]) {
    assertReachable(`targets[${parsed.origin[address.toLowerCase()]}]`, contactByEmail(ctx, teamId, address), address, 'email');
  }
  const contact = findOrCreateByEmail(ctx, teamId, parsed.to[0]!);
  const conv = newEmailThread(ctx, teamId, inbox, contact, [...parsed.to, ...parsed.cc], { name: req.conv_title ?? '', localId: req.local_id ?? null }, { creatorId: req.creator_id, now });
  return { conv, to: parsed };
}

/** POST /v1/email/send: one transaction; a repeated local_id returns the first answer. */
export function sendEmail(ctx: AppContext, teamId: number, req: EmailRequest, opts: { byAgent?: boolean } = {}): EmailResponse {
  return inTransaction(ctx.db, () => {
    if (req.local_id) {
      const prior = messages.getSendKey(ctx.db, teamId, 'email', req.local_id);
      if (prior) return prior.response as EmailResponse;
    }
    const inbox = checkSender(ctx, teamId, req.inbox, req.creator_id, 'email', { inbox: 'inbox', creator: 'creator_id' });
    const now = ctx.clock.now(teamId);
    const { conv, to } = threadFor(ctx, teamId, inbox, req, now);
    const msg = messages.insertMessage(ctx.db, teamId, {
      conversationId: conv.id,
      inboxId: inbox.id,
      type: 'outbound',
      channel: 'email',
      text: req.text,
      rawText: req.raw_text ?? '',
      target: [...to.to, ...to.cc].join(','),
      status: 'sent',
      userId: req.creator_id,
      localId: req.local_id ?? null,
      created: now,
      updated: now,
    });
    conversations.updateConversation(ctx.db, teamId, conv.id, { status: 'open', updated: now });
    recordDelivery(ctx.db, teamId, { messageId: msg.id, channel: 'email', from: inbox.email ?? '', to: to.to, cc: to.cc, subject: conv.name, text: req.text }, now);
    recordSent(ctx, teamId, msg, now, opts.byAgent === true);
    // compliance_results is always {} in the docs (gap M11).
    const response: EmailResponse = { id: msg.id, convo_id: conv.id, queued: true, date: toIso(now), compliance_results: {} };
    if (req.local_id) messages.putSendKey(ctx.db, teamId, 'email', req.local_id, response, now);
    return response;
  });
}
