import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { isTargetProblem, parseEmailTargets, type EmailRecipients } from '../../domain/email-targets.js';
import { badData, notFound } from '../../core/errors.js';
import { toIso } from '../../domain/time.js';
import { recordDelivery } from '../outbox/store.js';
import { createContact } from '../contacts/service.js';
import { contactIdsByChannel, getContact, type ContactRow } from '../contacts/store.js';
import * as conversations from '../conversations/store.js';
import type { ConversationRow } from '../conversations/store.js';
import type { InboxWithMembers } from '../inboxes/store.js';
import { checkSender } from '../inboxes/sender.js';
import * as messages from '../messages/store.js';
import type { emailSendBody } from './schemas.js';

type EmailRequest = z.output<typeof emailSendBody>;
type EmailResponse = { id: number; convo_id: number; queued: boolean; date: string; compliance_results: Record<string, unknown> };

/** The contact who owns this address (any email channel), created when new. */
function contactForEmail(ctx: AppContext, teamId: number, address: string): ContactRow {
  const id = contactIdsByChannel(ctx.db, teamId, 'email', [address])[0];
  const found = id === undefined ? undefined : getContact(ctx.db, teamId, id);
  return found ?? createContact(ctx, teamId, {}, [{ channelType: 'email', channelId: address }]);
}

/** A blocked contact can neither send to nor receive from the team (help centre). */
function assertNotBlocked(c: ContactRow | undefined, field: string) {
  if (c?.blocked) throw badData(field, `${field}: contact ${c.id} (${c.email}) is blocked; set status "unblocked" to email it`);
}

/** targets → a new thread with the first to: address as its contact; convo_id → that thread. */
function threadFor(ctx: AppContext, teamId: number, inbox: InboxWithMembers, req: EmailRequest, now: number): { conv: ConversationRow; to: EmailRecipients } {
  if (req.targets && req.convo_id !== undefined) {
    throw badData('convo_id', 'convo_id: use targets to start a new email or convo_id to reply, not both (gap M12)');
  }
  if (req.convo_id !== undefined) {
    const conv = conversations.getConversation(ctx.db, teamId, req.convo_id);
    if (!conv) throw notFound(`convo_id: no conversation with id ${req.convo_id}`, 'convo_id');
    if (conv.channel !== 'email') throw badData('convo_id', `convo_id: conversation ${conv.id} is not an email thread (send SMS with POST /v1/message/send)`);
    if (conv.inboxId !== inbox.id) throw badData('convo_id', `convo_id: conversation ${conv.id} belongs to inbox ${conv.inboxId}, not ${inbox.id}`);
    for (const address of conv.targets) {
      const id = contactIdsByChannel(ctx.db, teamId, 'email', [address])[0];
      assertNotBlocked(id === undefined ? undefined : getContact(ctx.db, teamId, id), 'convo_id');
    }
    const [first, ...rest] = conv.targets;
    return { conv, to: { to: first ? [first] : [], cc: rest, origin: {} } };
  }
  if (!req.targets) throw badData('targets', 'targets: give targets (["to:a@example.com"]) to start an email, or convo_id to reply');
  const parsed = parseEmailTargets(req.targets);
  if (isTargetProblem(parsed)) {
    const field = parsed.index === undefined ? 'targets' : `targets[${parsed.index}]`;
    throw badData(field, `${field}: ${parsed.message}`);
  }
  // Every recipient who is a blocked contact refuses the email, named by the element listing it.
  for (const address of [...parsed.to, ...parsed.cc]) {
    const id = contactIdsByChannel(ctx.db, teamId, 'email', [address])[0];
    const field = `targets[${parsed.origin[address.toLowerCase()]}]`;
    assertNotBlocked(id === undefined ? undefined : getContact(ctx.db, teamId, id), field);
  }
  const contact = contactForEmail(ctx, teamId, parsed.to[0]!);
  const conv = conversations.insertConversation(ctx.db, teamId, {
    inboxId: inbox.id,
    contactId: contact.id,
    channel: 'email',
    target: parsed.to[0]!,
    targets: [...parsed.to, ...parsed.cc],
    name: req.conv_title ?? '',
    creatorId: req.creator_id,
    assignedId: inbox.autoAssignable ? req.creator_id : null,
    localId: req.local_id ?? null,
    op: 'create',
    created: now,
    updated: now,
  });
  return { conv, to: parsed };
}

/** POST /v1/email/send: one transaction; a repeated local_id returns the first answer. */
export function sendEmail(ctx: AppContext, teamId: number, req: EmailRequest): EmailResponse {
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
    // compliance_results is always {} in the docs (gap M11).
    const response: EmailResponse = { id: msg.id, convo_id: conv.id, queued: true, date: toIso(now), compliance_results: {} };
    if (req.local_id) messages.putSendKey(ctx.db, teamId, 'email', req.local_id, response, now);
    return response;
  });
}
