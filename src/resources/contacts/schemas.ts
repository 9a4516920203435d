import { z } from 'zod';
import { CONTACT_STATUSES, MAX_TAGS } from '../../domain/contacts.js';
import { e164, emailAddress, nullAsAbsent, pageLimit, required, rfc3339 } from '../../wire/primitives.js';
import { maxItems, maxKeys } from '../../wire/limits.js';
import { tag } from '../tags/schemas.js';

// The v1 contact wire contract (contacts-v1.md). v2 reuses contactRequestFields.

/** Request limits (README "Request limits"): keys of one `custom` map, items of one batch. */
export const MAX_CUSTOM_KEYS = 1000;
export const MAX_EMAIL_SUPPRESSIONS = 100;
export const MAX_BATCH = 1000;


export const contactRequestFields = {
  phone: e164.optional(),
  avatar: z.union([z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }), z.literal('')]).optional(),
  /** Values are strings (gap C7); null removes the key when merging. */
  custom: maxKeys(
    z.record(z.string(), z.string().max(10_000).nullable()).superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (!/^[1-9][0-9]*$/.test(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'custom keys are numeric custom field ids as strings (e.g. "12"), not field titles' });
        }
      }
    }),
    MAX_CUSTOM_KEYS,
  ).optional(),
  display_name: z.string().max(255).optional(),
  email: z.union([emailAddress, z.literal('')]).optional(),
  first: z.string().max(255).optional(),
  last: z.string().max(255).optional(),
  assignee_id: z
    .number()
    .int()
    .refine((v) => v === -1 || v > 0, 'must be a member id, or -1 to unassign')
    .optional(),
  tags: maxItems(z.array(z.object({ tag_id: required(z.number().int().positive()) })), MAX_TAGS)
    .optional()
    .describe(`At most ${MAX_TAGS} tags per contact`),
  is_opted_out: z.boolean().optional(),
  email_suppressions: maxItems(z.array(z.number().int()), MAX_EMAIL_SUPPRESSIONS).optional(),
};

export const contactRequest = nullAsAbsent(z.object(contactRequestFields));

/** v1 create, update and batch items: phone is required (doc, rule 13). */
export const contactRequestWithPhone = nullAsAbsent(
  z.object({ ...contactRequestFields, phone: required(e164, 'is required on v1 contact create and update') }),
);

export const overwriteQuery = z.object({
  overwrite: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .optional(),
});

export const writeResponse = z.object({ id: z.number().int(), rev: z.number().int(), uuid: z.string() });

export const contact = z.object({
  id: z.number().int(),
  uuid: z.string(),
  display_name: z.string(),
  first: z.string(),
  last: z.string(),
  email: z.string(),
  phone: z.string(),
  avatar: z.string(),
  custom: z.record(z.string(), z.string()),
  team_id: z.number().int(),
  creator_id: z.number().int(),
  assigned_user_id: z.number().int().describe('0 when unassigned'),
  shared: z.boolean(),
  created: z.string(),
  updated: z.string(),
  rev: z.number().int(),
  op: z.string(),
  tags: z.array(tag),
  is_opted_out: z.boolean(),
  external_id: z.string(),
  external_ref: z.string(),
  inbox_id: z.number().int().describe('Always 0'),
  parent_id: z.number().int().describe('Always 0'),
  type: z.string(),
  note: z.array(z.object({ date: z.string(), id: z.string(), name: z.string(), text: z.string(), user_id: z.number().int() })),
});

/** POST /v1/contact/get: phone or id (the id may be a string, as the hand-written page shows). */
export const contactLookup = z.object({
  phone: e164.optional(),
  id: z.union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]*$/, 'must be a contact id').transform(Number)]).optional(),
});

/** The generic "Pagination json" body (doc-new); see docs/decisions.md for each field. */
export const contactPage = z.object({
  date: rfc3339.optional(),
  limit: pageLimit.optional(),
  page: z.number().int().min(0).optional(),
  ascending: z.boolean().optional(),
  order: z.enum(['updated', 'created']).optional(),
  filter: z.string().max(255).optional(),
  assigned: z.number().int().positive().optional(),
  archived: z.boolean().optional(),
  id: z.number().int().optional(),
  parent_id: z.number().int().optional(),
});

export const statusBody = contactLookup;

export const setStatusBody = contactLookup.extend({
  status: required(z.enum(CONTACT_STATUSES, { message: `must be one of ${CONTACT_STATUSES.join(', ')}` })),
});

export const statusResponse = z.object({ id: z.number().int(), phone: z.string(), unsubscribed: z.boolean(), blocked: z.boolean() });

/** Batch items are validated one by one so one bad item fails alone. */
export const batchBody = maxItems(z.array(z.unknown()).min(1, 'send at least one contact'), MAX_BATCH);
