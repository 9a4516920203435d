import { z } from 'zod';
import { channelTypeProblem, channelValueProblem, contactIdProblem } from '../../domain/channels.js';
import { nullAsAbsent, pageLimit, required, rfc3339 } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';
import { contact, contactRequestFields, MAX_BATCH } from './schemas.js';

// The v2 contact wire contract (contacts-v2.md).

/** Request limits (README "Request limits"). */
export const MAX_CHANNELS = 50;
export const MAX_SEARCH_GROUPS = 20;
export const MAX_SEARCH_VALUES = 100;

/** A v2 path's contactID: the contact UUID, never the v1 integer id (doc, rule 22). */
const contactUuid = z
  .string()
  .superRefine((v, ctx) => {
    const problem = contactIdProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => v.toLowerCase());

export const contactIdParams = z.object({ contactID: contactUuid });

export const channelTypeParams = contactIdParams.extend({
  channelType: z.string().superRefine((v, ctx) => {
    const problem = channelTypeProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

const channelType = z.string().superRefine((v, ctx) => {
  const problem = channelTypeProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** One channel to store: both keys required (doc, rule 21/24), value checked against its type. */
export const channelInput = z
  .object({
    channel_type: required(channelType),
    channel_id: required(z.string().max(320)),
    channel_handle: z.string().max(255).optional(),
    info_channel: z.string().max(255).optional(),
  })
  .superRefine((c, ctx) => {
    // Zod runs object refinements even when a key failed; only check a complete pair.
    if (typeof c.channel_type !== 'string' || typeof c.channel_id !== 'string') return;
    const problem = channelValueProblem(c.channel_type, c.channel_id);
    if (problem) ctx.addIssue({ code: 'custom', path: ['channel_id'], message: `${problem} (channel_type ${c.channel_type})` });
  });

export const createContactV2Body = nullAsAbsent(
  z.object({
    ...contactRequestFields,
    contact_channels: required(
      maxItems(z.array(channelInput).min(1, 'needs at least one channel ({channel_type, channel_id})'), MAX_CHANNELS),
      'is required: at least one {channel_type, channel_id}',
    ),
  }),
);

/** PUT /v2/contact: ContactRequest, plus optional channels upserted by type (one per type). */
export const updateContactV2Body = nullAsAbsent(z.object({ ...contactRequestFields, contact_channels: maxItems(z.array(channelInput), MAX_CHANNELS).optional() }));

/** A bulk item: contact_id (UUID) updates that contact, no contact_id creates one (doc-old). */
export const bulkItem = nullAsAbsent(
  z.object({
    ...contactRequestFields,
    contact_id: contactUuid.optional(),
    contact_channels: maxItems(z.array(channelInput), MAX_CHANNELS).optional(),
  }),
);

export const bulkBody = z.object({
  contacts: maxItems(required(z.array(z.unknown()).min(1, 'send at least one contact')), MAX_BATCH),
});

export const bulkDeleteBody = z.object({
  contact_channels: maxItems(
    required(
    z
      .array(
        z.object({
          channel_type: required(z.literal('id', { message: 'must be "id": bulk delete lists contact UUIDs' })),
          channel_ids: maxItems(required(z.array(contactUuid).min(1, 'list at least one contact UUID')), MAX_BATCH),
        }),
      )
      .length(1, 'must hold exactly one entry, {"channel_type": "id", "channel_ids": [UUIDs]}'),
    ),
    1,
  ),
});

export const listV2Body = z.object({
  limit: pageLimit.optional(),
  page: z.number().int().min(0).optional(),
  date: rfc3339.optional(),
  ascending: z.boolean().optional(),
});

export const searchBody = z.object({
  contact_channels: maxItems(
    required(
    z
      .array(
        z.object({
          channel_type: channelType.optional(),
          channel_ids: maxItems(z.array(z.string().min(1)), MAX_SEARCH_VALUES).optional(),
          channel_id: z.string().min(1).optional(),
        }),
      )
      .min(1, 'needs at least one {channel_type?, channel_ids}'),
    ),
    MAX_SEARCH_GROUPS,
  ),
});

export const channel = z.object({
  id: z.number().int(),
  team_id: z.number().int(),
  contact_id: z.string(),
  channel_type: z.string(),
  channel_id: z.string(),
  channel_handle: z.string(),
  info_channel: z.string(),
  created: z.string(),
  updated: z.string(),
});

export const contactV2 = contact.extend({ contact_channels: z.array(channel) });

export const bulkResponse = z.object({
  contacts: z.array(contactV2),
  failed_contacts: z.array(z.object({ contact: z.unknown(), error: z.string(), field: z.string().optional() })),
});
