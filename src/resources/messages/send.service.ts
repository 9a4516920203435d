import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { carriesGroupMms } from '../../domain/reachability.js';
import { isProblem, resolveFamily, type Family } from '../../domain/targets.js';
import { toIso } from '../../domain/time.js';
import { assertReachable, magicRefusal } from '../contacts/errors.js';
import { contactByPhone, findOrCreateByPhone } from '../contacts/find-or-create.js';
import { getContact, getContactsByIds } from '../contacts/store.js';
import { conversationInOtherInbox, isEmailThread, noSuchConversation } from '../conversations/errors.js';
import * as conversations from '../conversations/store.js';
import { findOrCreateGroupThread, findOrCreateSmsThread } from '../conversations/threads.js';
import { tollFreeGroupMms } from '../inboxes/errors.js';
import { checkSender } from '../inboxes/sender.js';
import type { InboxWithMembers } from '../inboxes/store.js';
import { getList, listEntries, updateEntry } from '../lists/store.js';
import {
  fieldTitles, mergeValuesOf, resolveContent, sendKeyOf, writeMessage,
  type Recipient, type SendOptions, type SendRequest, type SendResponse,
} from './compose.js';
import { badTarget, emptyNote, noConversationForNote, noReachableMember, noSuchList } from './errors.js';
import * as store from './store.js';

export type { SendRequest, SendResponse } from './compose.js';

type OneFamily = Exclude<Family, { kind: 'list' }>;
type ListFamily = Extract<Family, { kind: 'list' }>;

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
 * A broadcast's recipients: one 1:1 conversation per reachable list member, in list order. Reads
 * the custom fields once and the entries' contacts in one query. A broadcast skips members who
 * opted out or are blocked rather than failing for everyone.
 */
function listRecipients(ctx: AppContext, teamId: number, inbox: InboxWithMembers, req: SendRequest, family: ListFamily, now: number): Recipient[] {
  const list = getList(ctx.db, teamId, family.listId);
  if (!list) throw noSuchList('list_id', family.listId);
  const titles = fieldTitles(ctx, teamId);
  const entries = listEntries(ctx.db, teamId, list.id);
  const linkedIds = new Set(entries.flatMap((e) => (e.contactId === null ? [] : [e.contactId])));
  const linkedContacts = new Map(getContactsByIds(ctx.db, teamId, [...linkedIds]).map((c) => [c.id, c]));
  const out: Recipient[] = [];
  const seen = new Set<number>();
  for (const entry of entries) {
    const linked = entry.contactId !== null ? linkedContacts.get(entry.contactId) : undefined;
    const phone = linked?.phone ?? entry.phone;
    if (!phone || magicRefusal(phone)) continue; // email-only entries are not reachable by SMS; a refusing magic number is skipped
    const contact = linked ?? findOrCreateByPhone(ctx, teamId, phone, entry);
    if (seen.has(contact.id) || contact.blocked || contact.unsubscribed) continue;
    seen.add(contact.id);
    // The lightweight target now has a contact: the entry points at it from here on.
    if (!linked && !linkedIds.has(contact.id)) {
      updateEntry(ctx.db, teamId, list.id, entry.id, { contactId: contact.id, phone: entry.phone, email: entry.email, first: entry.first, last: entry.last });
      linkedIds.add(contact.id);
    }
    out.push({ conversation: findOrCreateSmsThread(ctx, teamId, inbox, contact, phone, { creatorId: req.creator_id, now }), merge: mergeValuesOf(titles, contact, entry), to: [phone] });
  }
  if (!out.length) throw noReachableMember('list_id', list.id);
  return out;
}

/**
 * POST /v1/message/send, and the scheduler's sends. One transaction: a rejected send writes
 * nothing, and a repeated local_id returns the first answer (better-sqlite3 runs it
 * synchronously, so concurrent repeats are serialized and cannot both create).
 */
export function sendMessage(ctx: AppContext, teamId: number, req: SendRequest, opts: SendOptions = {}): SendResponse {
  return inTransaction(ctx.db, () => {
    const key = sendKeyOf(req, opts);
    if (key) {
      const prior = store.getSendKey(ctx.db, teamId, key.scope, key.id);
      if (prior) return prior.response as SendResponse;
    }
    const inbox = checkSender(ctx, teamId, req.inbox_id, req.creator_id, 'sms', { inbox: 'inbox_id', creator: 'creator_id' });
    const family = resolveFamily(req);
    if (isProblem(family)) throw badTarget(family);
    const content = resolveContent(ctx, teamId, req);
    if (req.private && !content.text.trim()) throw emptyNote('text');
    const now = ctx.clock.now(teamId);
    const list = family.kind === 'list' ? listRecipients(ctx, teamId, inbox, req, family, now) : [recipientOf(ctx, teamId, inbox, req, family, now)];
    const broadcastId = family.kind === 'list' ? store.insertBroadcast(ctx.db, teamId, family.listId, family.localId, now) : null;
    const channel = family.kind === 'group' || list[0]!.conversation.channel === 'mms' || content.mediaUrl ? 'mms' : 'sms';
    const out = { inbox, req, content, channel, broadcastId, scheduleId: opts.scheduleId ?? null, byAgent: opts.byAgent === true } as const;
    let first: store.MessageRow | undefined;
    for (const [i, r] of list.entries()) {
      // Each message of a broadcast gets its own stamp, so the created_at cursor never skips one.
      const msg = writeMessage(ctx, teamId, out, r, i === 0 ? now : ctx.clock.now(teamId));
      first ??= msg;
    }
    const response: SendResponse = { id: first!.id, date: toIso(first!.created), gallery_url: first!.galleryUrl };
    if (key) store.putSendKey(ctx.db, teamId, key.scope, key.id, response, now);
    return response;
  });
}
