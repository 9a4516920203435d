import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { renderMergeTokens, type MergeValues } from '../../domain/merge-tokens.js';
import { listFields } from '../contact-fields/store.js';
import type { ContactRow } from '../contacts/store.js';
import * as conversations from '../conversations/store.js';
import type { ConversationRow } from '../conversations/store.js';
import type { InboxWithMembers } from '../inboxes/store.js';
import { recordDelivery } from '../outbox/store.js';
import { recordSent } from './sent-event.js';
import { getSurvey } from '../surveys/store.js';
import { getTemplate } from '../templates/store.js';
import { emptyTemplate, noContent, noSuchSurvey, noSuchTemplate, twoContentSources } from './errors.js';
import type { sendBody } from './schemas.js';
import * as store from './store.js';

// What every POST /v1/message/send writes, whichever the target family: the content, the merge
// values a recipient's text renders from, and the message + conversation activity + delivery
// written per recipient. send.service.ts (one recipient) and broadcast.ts (a list) use these.

/** A send with its acting member resolved: `creator_email` has become `creator_id` (send.service.ts resolveSendRequest). */
export type SendRequest = Omit<z.output<typeof sendBody>, 'creator_id' | 'creator_email'> & { creator_id: number };
export interface SendResponse {
  id: number;
  date: string;
  gallery_url: string;
  [key: string]: unknown;
}

export interface SendOptions {
  /**
   * Called when a repeated local_id replays the first answer but this request differs from the
   * first one (recipient or content): the route warns the client (issue #8.13).
   */
  onReplayMismatch?: (localId: string) => void;
  /** A scheduled send: keyed by its schedule, apart from clients' local_ids. */
  scheduleId?: number;
  /** A member replying from the app (POST /__mock/agent/send): fires message_sent. */
  byAgent?: boolean;
}

export interface SendKey {
  scope: string;
  id: string;
}

/**
 * The idempotency key of a send: a scheduled send is keyed by its schedule, so a repeated run
 * returns the first send and no client local_id can collide with it; else the client's local_id.
 */
export function sendKeyOf(req: SendRequest, opts: SendOptions): SendKey | undefined {
  if (opts.scheduleId !== undefined) return { scope: 'schedule', id: String(opts.scheduleId) };
  return req.local_id ? { scope: 'message', id: req.local_id } : undefined;
}

/**
 * What a send asks for, hashed: everything but local_id (the sender, the recipient, the content
 * and the options). Stored with the local_id's first answer, so a repeat that differs can be told.
 */
export function fingerprintOf(req: SendRequest): string {
  const { local_id: _, ...rest } = req;
  const canonical = JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k as keyof typeof rest]]));
  return createHash('sha256').update(canonical).digest('hex');
}

/** The replay check: the stored fingerprint ('' for keys stored before it was recorded) against this request's. */
export function warnIfDifferent(req: SendRequest, opts: SendOptions, prior: { fingerprint: string }) {
  if (opts.onReplayMismatch && req.local_id && prior.fingerprint && prior.fingerprint !== fingerprintOf(req)) opts.onReplayMismatch(req.local_id);
}

export interface Content {
  /** Text with merge tokens still in it. */
  text: string;
  mediaUrl: string;
  templateId: number | null;
  surveyId: number | null;
}

/** text, template_id or survey_id (one of them), media_url optional beside it or alone. */
export function resolveContent(ctx: AppContext, teamId: number, req: SendRequest): Content {
  const sources = (['text', 'template_id', 'survey_id'] as const).filter((k) => req[k] !== undefined);
  if (sources.length > 1) throw twoContentSources(sources[1]!, sources);
  const mediaUrl = req.media_url ?? '';
  if (req.template_id !== undefined) {
    const t = getTemplate(ctx.db, teamId, req.template_id);
    if (!t) throw noSuchTemplate('template_id', req.template_id);
    const media = mediaUrl || (t.gallery[0]?.url ?? '');
    if (!t.text.trim() && !media) throw emptyTemplate('template_id', t.id);
    return { text: t.text, mediaUrl: media, templateId: t.id, surveyId: null };
  }
  if (req.survey_id !== undefined) {
    const s = getSurvey(ctx.db, teamId, req.survey_id);
    if (!s) throw noSuchSurvey('survey_id', req.survey_id);
    return { text: s.question, mediaUrl, templateId: null, surveyId: s.id };
  }
  const text = req.text ?? '';
  if (!text.trim() && !mediaUrl) throw noContent('text');
  return { text, mediaUrl, templateId: null, surveyId: null };
}

/** Custom field titles by field id: what merge tokens call custom values (read once per send). */
export type FieldTitles = Map<string, string>;

export function fieldTitles(ctx: AppContext, teamId: number): FieldTitles {
  return new Map(listFields(ctx.db, teamId).map((f) => [String(f.id), f.title]));
}

/** The values a recipient's tokens render from; `fallback` names a contact without names (a lightweight list entry's). */
export function mergeValuesOf(titles: FieldTitles, c: ContactRow | undefined, fallback?: { first: string; last: string }): MergeValues {
  const custom: Record<string, string> = {};
  for (const [id, value] of Object.entries(c?.custom ?? {})) {
    const title = titles.get(id);
    if (title) custom[title] = value;
  }
  return { first: c?.first || fallback?.first || '', last: c?.last || fallback?.last || '', custom };
}

/** One recipient of a send: the conversation it goes into and the values its tokens render from. */
export interface Recipient {
  conversation: ConversationRow;
  merge: MergeValues;
  /** Numbers the message is delivered to (one, or a group's); none for a private note. */
  to: string[];
}

/** What is the same for every message of one send. */
export interface Outgoing {
  inbox: InboxWithMembers;
  req: SendRequest;
  content: Content;
  channel: 'sms' | 'mms';
  broadcastId: number | null;
  scheduleId: number | null;
  /** A member's reply from the app (POST /__mock/agent/send): always fires message_sent. */
  byAgent?: boolean;
}

/**
 * Writes one recipient's message: the rendered message, the conversation's activity (a send
 * reopens it; a private note only touches `updated`), and, unless it is a note, the delivery in
 * the outbox. `at` is the message's own stamp.
 */
export function writeMessage(ctx: AppContext, teamId: number, o: Outgoing, r: Recipient, at: number): store.MessageRow {
  const note = o.req.private === true;
  const text = renderMergeTokens(o.content.text, r.merge);
  const msg = store.insertMessage(ctx.db, teamId, {
    conversationId: r.conversation.id,
    inboxId: o.inbox.id,
    type: note ? 'note' : 'outbound',
    channel: o.channel,
    text,
    mediaUrl: o.content.mediaUrl,
    galleryUrl: o.content.mediaUrl,
    target: r.conversation.target,
    status: 'sent',
    userId: o.req.creator_id,
    author: o.req.author ?? '',
    localId: o.req.local_id ?? null,
    broadcastId: o.broadcastId,
    templateId: o.content.templateId,
    surveyId: o.content.surveyId,
    scheduleId: o.scheduleId,
    activityId: o.req.activity_id ?? null,
    created: at,
    updated: at,
  });
  conversations.updateConversation(ctx.db, teamId, r.conversation.id, {
    updated: at,
    ...(note ? {} : { status: 'open' as const, replied: r.conversation.lastInbound !== null }),
  });
  if (!note) {
    recordDelivery(ctx.db, teamId, { messageId: msg.id, channel: o.channel, from: o.inbox.phone, to: r.to, text, mediaUrl: o.content.mediaUrl }, at);
    recordSent(ctx, teamId, msg, at, o.byAgent === true);
  }
  return msg;
}
