import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { carriesGroupMms } from '../../domain/reachability.js';
import { isProblem, resolveFamily, type Family } from '../../domain/targets.js';
import { toIso } from '../../domain/time.js';
import { assertReachable } from '../contacts/errors.js';
import { contactByPhone, findOrCreateByPhone } from '../contacts/find-or-create.js';
import { getContact } from '../contacts/store.js';
import { conversationInOtherInbox, isEmailThread, noSuchConversation } from '../conversations/errors.js';
import * as conversations from '../conversations/store.js';
import { findOrCreateGroupThread, findOrCreateSmsThread } from '../conversations/threads.js';
import { tollFreeGroupMms } from '../inboxes/errors.js';
import { actingMemberId } from '../inboxes/member-email.js';
import { checkSender } from '../inboxes/sender.js';
import type { InboxWithMembers } from '../inboxes/store.js';
import { isInProgress, runningBroadcast, sendBroadcast } from './broadcast.js';
import {
  fieldTitles, fingerprintOf, mergeValuesOf, resolveContent, sendKeyOf, warnIfDifferent, writeMessage,
  type Recipient, type SendOptions, type SendRequest, type SendResponse,
} from './compose.js';
import { badTarget, emptyNote, noConversationForNote, noCreator } from './errors.js';
import type { sendBody } from './schemas.js';
import * as store from './store.js';

export type { SendRequest, SendResponse } from './compose.js';

type OneFamily = Exclude<Family, { kind: 'list' }>;

/** The one conversation an individual, chat or group send goes into, its contacts checked for reachability (gap M3). */
function recipientOf(ctx: AppContext, teamId: number, inbox: InboxWithMembers, req: SendRequest, family: OneFamily, now: number): Recipient {
  const by = { creatorId: req.creator_id, now };
  const titles = () => fieldTitles(ctx, teamId);
  switch (family.kind) {
    case 'phone': {
      if (req.private) {
        const conv = conversations.findByTarget(ctx.db, teamId, inbox.id, 'sms', family.phone);
        if (!conv) throw noConversationForNote('phone_number', family.phone, inbox.id);
        return { conversation: conv, merge: mergeValuesOf(titles(), conv.contactId ? getContact(ctx.db, teamId, conv.contactId) : undefined), to: [] };
      }
      const contact = findOrCreateByPhone(ctx, teamId, family.phone);
      assertReachable('phone_number', contact, family.phone, 'sms');
      return { conversation: findOrCreateSmsThread(ctx, teamId, inbox, contact, family.phone, by), merge: mergeValuesOf(titles(), contact), to: [family.phone] };
    }
    case 'chat': {
      const conv = conversations.getConversation(ctx.db, teamId, family.chatId);
      if (!conv) throw noSuchConversation('chat_id', family.chatId);
      if (conv.inboxId !== inbox.id) throw conversationInOtherInbox('chat_id', conv, inbox.id);
      if (conv.channel === 'email') throw isEmailThread('chat_id', conv, 'reply with POST /v1/email/send and convo_id');
      if (conv.channel === 'mms' && !carriesGroupMms(inbox) && !req.private) throw tollFreeGroupMms('chat_id', inbox);
      const contact = conv.contactId ? getContact(ctx.db, teamId, conv.contactId) : undefined;
      if (!req.private) {
        if (conv.channel === 'mms') {
          for (const n of conv.targets) assertReachable('chat_id', contactByPhone(ctx, teamId, n), n, 'sms');
        } else {
          assertReachable('chat_id', contact, conv.target, 'sms');
        }
      }
      return { conversation: conv, merge: mergeValuesOf(titles(), contact), to: req.private ? [] : conv.targets };
    }
    case 'group': {
      if (!carriesGroupMms(inbox)) throw tollFreeGroupMms('targets', inbox);
      // Each number with the contact that owns it, on whichever of its phones (not only its first).
      const members = family.targets.map((phone) => ({ phone, contact: findOrCreateByPhone(ctx, teamId, phone) }));
      for (const m of members) {
        // Named by the number's position as the client sent it (family.targets is sorted).
        const at = req.targets?.indexOf(m.phone) ?? -1;
        assertReachable(at < 0 ? 'targets' : `targets[${at}]`, m.contact, m.phone, 'sms');
      }
      return { conversation: findOrCreateGroupThread(ctx, teamId, inbox, members, by), merge: { first: '', last: '', custom: {} }, to: family.targets };
    }
  }
}

/**
 * One message to one conversation (phone_number, chat_id, targets), in one transaction: a
 * rejected send writes nothing, and a repeated local_id returns the first answer (better-sqlite3
 * runs it synchronously, so concurrent repeats are serialized and cannot both create). Synchronous,
 * so a caller's transaction can hold it (it nests as a savepoint); a list broadcast cannot go here.
 */
/** A send body as sent, with its acting member resolved: `creator_email` becomes `creator_id` (the id wins when both are given). */
export function resolveSendRequest(ctx: AppContext, teamId: number, body: z.output<typeof sendBody>): SendRequest {
  const { creator_email, creator_id, ...rest } = body;
  const creator = actingMemberId(ctx, teamId, creator_id, creator_email, 'creator_email');
  if (creator === undefined) throw noCreator();
  return { ...rest, creator_id: creator };
}

export function sendOne(ctx: AppContext, teamId: number, req: SendRequest, opts: SendOptions): SendResponse {
  return inTransaction(ctx.db, () => {
    const key = sendKeyOf(req, opts);
    if (key) {
      const prior = store.getSendKey(ctx.db, teamId, key.scope, key.id);
      if (prior) {
        warnIfDifferent(req, opts, prior);
        return prior.response as SendResponse;
      }
    }
    const inbox = checkSender(ctx, teamId, req.inbox_id, req.creator_id, 'sms', { inbox: 'inbox_id', creator: 'creator_id' });
    const family = resolveFamily(req);
    if (isProblem(family)) throw badTarget(family);
    if (family.kind === 'list') throw new Error('sendOne: a list broadcast goes through sendMessage');
    const content = resolveContent(ctx, teamId, req);
    if (req.private && !content.text.trim()) throw emptyNote('text');
    const now = ctx.clock.now(teamId);
    const r = recipientOf(ctx, teamId, inbox, req, family, now);
    const channel = family.kind === 'group' || r.conversation.channel === 'mms' || content.mediaUrl ? 'mms' : 'sms';
    const msg = writeMessage(ctx, teamId, { inbox, req, content, channel, broadcastId: null, scheduleId: opts.scheduleId ?? null, byAgent: opts.byAgent === true }, r, now);
    const response: SendResponse = { id: msg.id, date: toIso(msg.created), gallery_url: msg.galleryUrl };
    if (key) store.putSendKey(ctx.db, teamId, key.scope, key.id, response, now, fingerprintOf(req));
    return response;
  });
}

/**
 * POST /v1/message/send, and the scheduler's sends. A repeated local_id (or schedule) returns the
 * first answer before any validation; a repeat that arrives while that first send is a broadcast
 * still being written waits for it. A list broadcast is written in chunks (broadcast.ts), every
 * other family in one transaction.
 */
export async function sendMessage(ctx: AppContext, teamId: number, req: SendRequest, opts: SendOptions = {}): Promise<SendResponse> {
  const key = sendKeyOf(req, opts);
  if (key) {
    for (let run = runningBroadcast(ctx, teamId, key); run; run = runningBroadcast(ctx, teamId, key)) await run.catch(() => undefined);
  }
  // From the last look above to the first write nothing else runs (no await): the key cannot change meanwhile.
  const prior = key ? store.getSendKey(ctx.db, teamId, key.scope, key.id) : undefined;
  if (prior) warnIfDifferent(req, opts, prior);
  if (prior && !isInProgress(prior.response)) return prior.response as SendResponse;
  const family = resolveFamily(req);
  if (key && (prior || (!isProblem(family) && family.kind === 'list'))) {
    // A broadcast, or one an earlier run left in progress (it resumes with its own request).
    return sendBroadcast(ctx, teamId, req, key, opts, prior && isInProgress(prior.response) ? prior.response : undefined);
  }
  return sendOne(ctx, teamId, req, opts);
}
