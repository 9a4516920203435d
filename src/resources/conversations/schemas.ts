import { z } from 'zod';
import { e164, pageLimit, required, rfc3339 } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';

export const conversation = z.object({
  id: z.number().int(),
  assigned: z.number().int().describe('Assigned member id; 0 when unassigned'),
  blocked: z.boolean(),
  channel: z.enum(['sms', 'mms', 'email']),
  created: z.string(),
  creator: z.number().int().describe('Member who opened it; 0 when the customer did'),
  email_noti: z.boolean(),
  inbox: z.number().int(),
  last_inbound: z.number().int().describe('Unix seconds of the last inbound message; 0 when none'),
  local_id: z.string(),
  members: z.array(z.object({ id: z.number().int(), name: z.string() })),
  muted: z.boolean(),
  name: z.string(),
  noreply: z.string(),
  op: z.string(),
  read: z.number().int(),
  replied: z.boolean(),
  snooze_till: z.string().describe("Go's zero time 0001-01-01T00:00:00Z when not snoozed"),
  status: z.enum(['open', 'closed']),
  super: z.number().int(),
  support: z.boolean(),
  target: z.string(),
  targets: z.array(z.string()),
  type: z.enum(['individual', 'group', 'email']),
  updated: z.string(),
});

// --- requests (conversations.md) --------------------------------------------------------------

const positiveId = z.number().int().positive();

/** Request limits (README "Request limits"). */
export const MAX_INBOX_FILTER = 1000;
export const MAX_TARGETS = 50;

/** The fields only the generic "Pagination json" body has; the filters form takes id, filters, date. */
const PAGINATION_ONLY = ['archived', 'ascending', 'assigned', 'filter', 'limit', 'order', 'page', 'parent_id'] as const;

/**
 * POST /v1/conversations and /count take either documented body; `filters` tells them apart.
 * Filters form (doc-old, rule 33): {id, filters: {inboxes, closed, unread}, date}.
 * Pagination json (doc-new): {archived, ascending, assigned, date, filter, id, limit, order, page, parent_id}.
 */
export const listBody = z
  .object({
    id: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Filters form: the member whose inboxes to list (required with filters; 0 = every inbox). Ignored in the Pagination json form.'),
    filters: z
      .object({
        inboxes: maxItems(z.array(positiveId), MAX_INBOX_FILTER).optional().describe('Only these inboxes (an empty list means no restriction)'),
        closed: z.boolean().optional().describe('false: open only; true: closed only; absent: both'),
        unread: z.boolean().optional().describe('true: unread only; false or absent: read and unread'),
      })
      .optional()
      .describe('Present = the filters form'),
    date: rfc3339.optional().describe('Cursor: conversations updated before it (after it when ascending)'),
    archived: z.boolean().optional().describe('true: closed only; false: open only'),
    ascending: z.boolean().optional(),
    assigned: positiveId.optional().describe('Only conversations assigned to this member'),
    filter: z.string().max(255).optional().describe('Case-insensitive substring of target or name'),
    limit: pageLimit.optional(),
    order: z.enum(['updated', 'created']).optional(),
    page: z.number().int().min(0).optional().describe('0-based page'),
    parent_id: z.number().int().optional().describe('Accepted and ignored'),
  })
  .superRefine((b, ctx) => {
    if (b.filters === undefined) return;
    if (b.id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'is required with filters (the member id whose inboxes to list, or 0 for every inbox)' });
    }
    for (const key of PAGINATION_ONLY) {
      if (b[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'belongs to the Pagination json body; with filters the body is {id, filters, date}' });
      }
    }
  });

export type ListBody = z.output<typeof listBody>;

/** How a conversation is addressed: chat_id, or target (individual) / targets (group MMS). */
const addressFields = {
  chat_id: positiveId.optional().describe('Conversation id; wins over target/targets'),
  target: e164.optional().describe('Contact phone of an individual conversation, E.164 without +'),
  targets: maxItems(z.array(e164).min(1), MAX_TARGETS).optional().describe('Numbers of a group MMS conversation (any order); wins over target'),
};

const actorFields = {
  inbox_id: required(positiveId).describe('Inbox of the conversation'),
  user_id: required(positiveId).describe('Member performing the action; must be a member of the inbox'),
};

function needsAddress(b: { chat_id?: number; target?: string; targets?: string[] }, ctx: z.RefinementCtx) {
  if (b.chat_id === undefined && b.target === undefined && b.targets === undefined) {
    ctx.addIssue({ code: 'custom', path: ['chat_id'], message: 'give chat_id, or target (targets for a group MMS conversation)' });
  }
}

/** POST /v1/conversations/open and /close (rule 30). */
export const openCloseBody = z.object({ ...addressFields, ...actorFields }).superRefine(needsAddress);

/** POST /v1/conversations/read and /unread (gap V4): the open/close body; reassign_id is ignored. */
export const readBody = z
  .object({ ...addressFields, ...actorFields, reassign_id: z.number().int().optional().describe('Ignored (the docs copy it from reassign)') })
  .superRefine(needsAddress);

/** POST /v1/conversations/reassign (rule 31): no chat_id here. */
export const reassignBody = z
  .object({
    target: addressFields.target,
    targets: addressFields.targets,
    ...actorFields,
    reassign_id: required(positiveId).describe('New owner; must be a member of the same inbox'),
  })
  .superRefine((b, ctx) => {
    if (b.target === undefined && b.targets === undefined) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'give target, or targets for a group MMS conversation (reassign takes no chat_id)' });
    }
  });

/** POST /v1/conversations/transfer (rule 32). */
export const transferBody = z.object({
  conversation_id: required(positiveId).describe('An SMS or group MMS conversation'),
  transfer_inbox_id: required(positiveId).describe('An SMS inbox of the team without this conversation'),
});

export type Address = { chat_id?: number; target?: string; targets?: string[] };
