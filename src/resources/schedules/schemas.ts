import { z } from 'zod';
import { e164, emailAddress, nullAsAbsent, required } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';
import { galleryEntry, galleryEntryInput } from '../templates/schemas.js';

// The scheduled-message wire contract (scheduled-messages.md). The request names the time
// `execute_at`, the object `execute`.

const id = z.number().int().positive();
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be a public http(s) URL' });

/**
 * `content.template`: an integer template id (generated schema), or the object form of the
 * hand-written page, read as `{"id": <template id>}` (contradiction in scheduled-messages.md).
 */
const TEMPLATE_REF = 'must be a template id (a positive integer) or {"id": <template id>}';
const templateRef = z
  .preprocess(
    (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { id?: unknown }).id : v),
    z.number({ error: TEMPLATE_REF }).int(TEMPLATE_REF).positive(TEMPLATE_REF),
  )
  .describe('Template id; the object form {"id": <template id>} is accepted too');

export const attachmentInput = z.object({
  name: z.string().max(255).optional(),
  type: z.string().max(255).optional(),
  url: required(httpUrl, 'is required (the file URL)'),
});

/** ScheduledContent: text or template (not both), optional media. */
export const scheduledContentInput = nullAsAbsent(
  z
    .object({
      text: z.string().max(10_000).optional(),
      template: templateRef.optional(),
      to: e164.optional(),
      attachments: maxItems(z.array(attachmentInput), 10).optional(),
      gallery: maxItems(z.array(galleryEntryInput), 10).optional(),
    })
    .superRefine((c, ctx) => {
      const hasText = c.text !== undefined && c.text.trim() !== '';
      if (hasText && c.template !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['template'], message: 'give text or template, not both (the template is the body)' });
      } else if (!hasText && c.template === undefined) {
        ctx.addIssue({ code: 'custom', path: [], message: 'needs text or template (a template id); attachments and gallery alone are not a message' });
      }
    }),
);

/**
 * POST /v1/schedule and PUT /v1/schedule/{id} (rule 29). Which target fields may go together, the
 * execute_at slot rules and the references are checked in rules.ts and service.ts.
 */
export const scheduleBody = nullAsAbsent(
  z.object({
    inbox_id: required(id, 'is required (the sending SMS inbox, see GET /v1/inboxes)'),
    execute_at: required(
      z.iso.datetime({
        offset: true,
        local: false,
        // A missing value falls through to required()'s message.
        error: (issue) => (issue.input === undefined ? undefined : 'must be an RFC 3339 date-time with Z or an offset, e.g. 2026-01-15T12:15:00Z'),
      }),
      'is required (RFC 3339, at least 15 minutes ahead, on :00, :15, :30 or :45)',
    ),
    content: required(scheduledContentInput, 'is required: {"text": "..."} or {"template": <template id>}'),
    phone_number: e164.optional(),
    conversation_id: id.optional(),
    list_id: id.optional(),
    targets: maxItems(z.array(e164), 50).optional(),
    local_id: z.string().max(255).optional(),
    user_id: id.optional(),
    user_email: emailAddress
      .optional()
      .describe("The sending member's email, instead of user_id (matched case-insensitively; user_id wins when both are given)"),
  }),
);

export type ScheduleBody = z.output<typeof scheduleBody>;

export const attachment = z.object({ name: z.string(), type: z.string(), url: z.string() });

/** The Scheduled object (gap D1), plus the mock's status, message_id and error. */
export const scheduled = z.object({
  id: z.number().int(),
  execute: z.string(),
  inbox_id: z.number().int(),
  local_id: z.string(),
  meta: z.object({
    content: z.object({
      text: z.string(),
      template: z.number().int().describe('Template id; 0 for a text message'),
      to: z.string(),
      attachments: z.array(attachment),
      gallery: z.array(galleryEntry),
      local_day: z.number().int(),
      local_time: z.string().describe("Always Go's zero time 0001-01-01T00:00:00Z (not set)"),
      offset: z.number().int(),
    }),
    conversation_id: z.number().int().describe('0 when not given'),
    list_id: z.number().int().describe('0 when not given'),
    campaign_id: z.number().int(),
    campaign_step_id: z.number().int(),
    campaign_target_phone: z.string(),
  }),
  op: z.string(),
  rev: z.number().int(),
  created: z.string(),
  updated: z.string(),
  team_id: z.number().int(),
  user_id: z.number().int(),
  status: z.enum(['pending', 'sent', 'failed']).describe('Mock extra: pending until execute, then sent or failed'),
  message_id: z.number().int().describe('Mock extra: the message the scheduler sent; 0 until then'),
  error: z.string().nullable().describe('Mock extra: why the send failed'),
});
