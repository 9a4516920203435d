import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { renderMergeTokens, type MergeValues } from '../../domain/merge-tokens.js';
import { groupKey, isProblem, resolveFamily, type Family } from '../../domain/targets.js';
import { badData, notFound } from '../../core/errors.js';
import { recordDelivery } from '../outbox/store.js';
import { toIso } from '../../domain/time.js';
import { listFields } from '../contact-fields/store.js';
import { contactByPhone, createContact } from '../contacts/service.js';
import { getContact, type ContactRow } from '../contacts/store.js';
import * as conversations from '../conversations/store.js';
import type { ConversationRow } from '../conversations/store.js';
import type { InboxWithMembers } from '../inboxes/store.js';
import { getList, listEntries, updateEntry } from '../lists/store.js';
import { getSurvey } from '../surveys/store.js';
import { getTemplate } from '../templates/store.js';
import type { sendBody } from './schemas.js';
import { checkSender } from '../inboxes/sender.js';
import * as store from './store.js';

export type SendRequest = z.output<typeof sendBody>;
export interface SendResponse {
  id: number;
  date: string;
  gallery_url: string;
  [key: string]: unknown;
}

/** One recipient of a send: the conversation it goes into and the values its tokens render from. */
interface Recipient {
  conversation: ConversationRow;
  merge: MergeValues;
  /** Numbers the message is delivered to (one, or a group's). */
  to: string[];
}

interface Content {
  /** Text with merge tokens still in it. */
  text: string;
  mediaUrl: string;
  templateId: number | null;
  surveyId: number | null;
}

/** text, template_id or survey_id (one of them), media_url optional beside it or alone. */
function resolveContent(ctx: AppContext, teamId: number, req: SendRequest): Content {
  const sources = (['text', 'template_id', 'survey_id'] as const).filter((k) => req[k] !== undefined);
  if (sources.length > 1) throw badData(sources[1], `${sources[1]}: give one of text, template_id or survey_id, not ${sources.join(' and ')}`);
  const mediaUrl = req.media_url ?? '';
  if (req.template_id !== undefined) {
    const t = getTemplate(ctx.db, teamId, req.template_id);
    if (!t) throw badData('template_id', `template_id: no template with id ${req.template_id} in this team`);
    const media = mediaUrl || (t.gallery[0]?.url ?? '');
    if (!t.text.trim() && !media) throw badData('template_id', `template_id: template ${t.id} has no text and no image to send`);
    return { text: t.text, mediaUrl: media, templateId: t.id, surveyId: null };
  }
  if (req.survey_id !== undefined) {
    const s = getSurvey(ctx.db, teamId, req.survey_id);
    if (!s) throw badData('survey_id', `survey_id: no survey with id ${req.survey_id} in this team`);
    return { text: s.question, mediaUrl, templateId: null, surveyId: s.id };
  }
  const text = req.text ?? '';
  if (!text.trim() && !mediaUrl) throw badData('text', 'text: a message needs content: text, template_id, media_url or survey_id');
  return { text, mediaUrl, templateId: null, surveyId: null };
}

function mergeValuesOf(ctx: AppContext, teamId: number, c: ContactRow | undefined, fallback?: { first: string; last: string }): MergeValues {
  const titles = new Map(listFields(ctx.db, teamId).map((f) => [String(f.id), f.title]));
  const custom: Record<string, string> = {};
  for (const [id, value] of Object.entries(c?.custom ?? {})) {
    const title = titles.get(id);
    if (title) custom[title] = value;
  }
  return { first: c?.first || fallback?.first || '', last: c?.last || fallback?.last || '', custom };
}

/** Refuses opted-out and blocked contacts (help centre; gap M3): never silently "sent". */
function assertReachable(c: ContactRow, field: string) {
  if (c.blocked) throw badData(field, `${field}: contact ${c.id} (${c.phone ?? c.email}) is blocked; set status "unblocked" to message it`);
  if (c.unsubscribed) {
    throw badData(field, `${field}: contact ${c.id} (${c.phone}) has opted out (unsubscribed); it must opt back in (status "subscribed") before the team can message it`);
  }
}

/** The contact with this number, created (phone only) when new (gap M7). */
function contactFor(ctx: AppContext, teamId: number, phone: string, names?: { first: string; last: string }): ContactRow {
  return contactByPhone(ctx, teamId, phone) ?? createContact(ctx, teamId, { phone, first: names?.first || undefined, last: names?.last || undefined });
}

/** The conversation with this number in this inbox, or a new one (a contact's second number has its own). */
function conversationFor(ctx: AppContext, teamId: number, inbox: InboxWithMembers, contact: ContactRow, phone: string, creatorId: number, now: number): ConversationRow {
  const existing = conversations.findByTarget(ctx.db, teamId, inbox.id, 'sms', phone);
  if (existing) return existing;
  return conversations.insertConversation(ctx.db, teamId, {
    inboxId: inbox.id,
    contactId: contact.id,
    channel: 'sms',
    target: phone,
    targets: [phone],
    name: contact.displayName,
    creatorId,
    assignedId: inbox.autoAssignable ? creatorId : null,
    op: 'create',
    created: now,
    updated: now,
  });
}

function recipients(ctx: AppContext, teamId: number, inbox: InboxWithMembers, req: SendRequest, family: Family, now: number): Recipient[] {
  const field = family.kind === 'chat' ? 'chat_id' : 'phone_number';
  switch (family.kind) {
    case 'phone': {
      if (req.private) {
        const conv = conversations.findByTarget(ctx.db, teamId, inbox.id, 'sms', family.phone);
        if (!conv) throw badData('phone_number', `phone_number: no conversation with ${family.phone} in inbox ${inbox.id}; private notes go into an existing conversation`);
        return [{ conversation: conv, merge: mergeValuesOf(ctx, teamId, conv.contactId ? getContact(ctx.db, teamId, conv.contactId) : undefined), to: [] }];
      }
      const contact = contactFor(ctx, teamId, family.phone);
      assertReachable(contact, field);
      return [{ conversation: conversationFor(ctx, teamId, inbox, contact, family.phone, req.creator_id, now), merge: mergeValuesOf(ctx, teamId, contact), to: [family.phone] }];
    }
    case 'chat': {
      const conv = conversations.getConversation(ctx.db, teamId, family.chatId);
      if (!conv) throw notFound(`chat_id: no conversation with id ${family.chatId}`, 'chat_id');
      if (conv.inboxId !== inbox.id) throw badData('chat_id', `chat_id: conversation ${conv.id} belongs to inbox ${conv.inboxId}, not ${inbox.id}`);
      if (conv.channel === 'email') throw badData('chat_id', `chat_id: conversation ${conv.id} is an email thread; reply with POST /v1/email/send and convo_id`);
      if (conv.channel === 'mms' && inbox.tollFree && !req.private) throw badData('chat_id', 'chat_id: toll-free numbers do not support group MMS');
      const contact = conv.contactId ? getContact(ctx.db, teamId, conv.contactId) : undefined;
      if (!req.private) {
        if (contact) assertReachable(contact, 'chat_id');
        for (const n of conv.channel === 'mms' ? conv.targets : []) {
          const c = contactByPhone(ctx, teamId, n);
          if (c) assertReachable(c, 'chat_id');
        }
      }
      return [{ conversation: conv, merge: mergeValuesOf(ctx, teamId, contact), to: req.private ? [] : conv.targets }];
    }
    case 'group': {
      if (inbox.tollFree) throw badData('targets', `targets: inbox ${inbox.id} sends from toll-free ${inbox.phone}; toll-free numbers do not support group MMS`);
      const people = family.targets.map((n) => contactFor(ctx, teamId, n));
      // Name the number's position as the client sent it (family.targets is sorted).
      people.forEach((c) => assertReachable(c, `targets[${req.targets!.indexOf(c.phone!)}]`));
      const key = groupKey(family.targets);
      const conv =
        conversations.findByTarget(ctx.db, teamId, inbox.id, 'mms', key) ??
        conversations.insertConversation(ctx.db, teamId, {
          inboxId: inbox.id,
          contactId: null,
          channel: 'mms',
          target: key,
          targets: family.targets,
          name: people.map((p) => p.displayName || p.phone).join(', '),
          creatorId: req.creator_id,
          assignedId: inbox.autoAssignable ? req.creator_id : null,
          op: 'create',
          created: now,
          updated: now,
        });
      return [{ conversation: conv, merge: { first: '', last: '', custom: {} }, to: family.targets }];
    }
    case 'list': {
      const list = getList(ctx.db, teamId, family.listId);
      if (!list) throw badData('list_id', `list_id: no list with id ${family.listId} in this team`);
      const out: Recipient[] = [];
      const seen = new Set<number>();
      const entries = listEntries(ctx.db, teamId, list.id);
      for (const entry of entries) {
        const linked = entry.contactId ? getContact(ctx.db, teamId, entry.contactId) : undefined;
        const phone = linked?.phone ?? entry.phone;
        if (!phone) continue; // email-only entries are not reachable by SMS
        const contact = linked ?? contactFor(ctx, teamId, phone, entry);
        // A broadcast skips members who opted out or are blocked rather than failing for everyone.
        if (seen.has(contact.id) || contact.blocked || contact.unsubscribed) continue;
        seen.add(contact.id);
        // The lightweight target now has a contact: the entry points at it from here on.
        if (!linked && !entries.some((e) => e.contactId === contact.id)) {
          updateEntry(ctx.db, teamId, list.id, entry.id, { contactId: contact.id, phone: entry.phone, email: entry.email, first: entry.first, last: entry.last });
        }
        out.push({
          conversation: conversationFor(ctx, teamId, inbox, contact, phone, req.creator_id, now),
          merge: mergeValuesOf(ctx, teamId, contact, entry),
          to: [phone],
        });
      }
      if (!out.length) throw badData('list_id', `list_id: list ${list.id} has no member that can receive SMS (none with a phone, or all opted out or blocked)`);
      return out;
    }
  }
}

/**
 * POST /v1/message/send. One transaction: a rejected send writes nothing, and a repeated
 * local_id returns the first answer (better-sqlite3 runs it synchronously, so concurrent repeats
 * are serialized and cannot both create).
 */
export function sendMessage(ctx: AppContext, teamId: number, req: SendRequest, opts: { scheduleId?: number } = {}): SendResponse {
  return inTransaction(ctx.db, () => {
    // A scheduled send is keyed by its schedule, apart from clients' local_ids, so a repeated run
    // returns the first send and no client local_id can collide with it.
    const key = opts.scheduleId !== undefined ? { scope: 'schedule', id: String(opts.scheduleId) } : req.local_id ? { scope: 'message', id: req.local_id } : undefined;
    if (key) {
      const prior = store.getSendKey(ctx.db, teamId, key.scope, key.id);
      if (prior) return prior.response as SendResponse;
    }
    const inbox = checkSender(ctx, teamId, req.inbox_id, req.creator_id, 'sms', { inbox: 'inbox_id', creator: 'creator_id' });
    const family = resolveFamily(req);
    if (isProblem(family)) throw badData(family.field, `${family.field}: ${family.message}`);
    const content = resolveContent(ctx, teamId, req);
    if (req.private && !content.text.trim()) throw badData('text', 'text: a private note needs text');
    const now = ctx.clock.now(teamId);
    const list = recipients(ctx, teamId, inbox, req, family, now);
    const broadcastId = family.kind === 'list' ? store.insertBroadcast(ctx.db, teamId, family.listId, family.localId, now) : null;
    const channel = family.kind === 'group' || list[0]!.conversation.channel === 'mms' || content.mediaUrl ? 'mms' : 'sms';
    let first: store.MessageRow | undefined;
    for (const [i, r] of list.entries()) {
      // Each message of a broadcast gets its own stamp, so the created_at cursor never skips one.
      const at = i === 0 ? now : ctx.clock.now(teamId);
      const text = renderMergeTokens(content.text, r.merge);
      const msg = store.insertMessage(ctx.db, teamId, {
        conversationId: r.conversation.id,
        inboxId: inbox.id,
        type: req.private ? 'note' : 'outbound',
        channel,
        text,
        mediaUrl: content.mediaUrl,
        galleryUrl: content.mediaUrl,
        target: r.conversation.target,
        status: 'sent',
        userId: req.creator_id,
        author: req.author ?? '',
        localId: req.local_id ?? null,
        broadcastId,
        templateId: content.templateId,
        surveyId: content.surveyId,
        scheduleId: opts.scheduleId ?? null,
        activityId: req.activity_id ?? null,
        created: at,
        updated: at,
      });
      first ??= msg;
      conversations.updateConversation(ctx.db, teamId, r.conversation.id, {
        updated: at,
        ...(req.private ? {} : { status: 'open' as const, replied: r.conversation.lastInbound !== null }),
      });
      if (!req.private) {
        recordDelivery(ctx.db, teamId, { messageId: msg.id, channel, from: inbox.phone, to: r.to, text, mediaUrl: content.mediaUrl }, at);
      }
    }
    const response: SendResponse = { id: first!.id, date: toIso(first!.created), gallery_url: first!.galleryUrl };
    if (key) store.putSendKey(ctx.db, teamId, key.scope, key.id, response, now);
    return response;
  });
}
