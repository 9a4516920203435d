import { z } from 'zod';
import { e164, emailAddress, pageLimit, required } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';
import { conversation } from '../conversations/schemas.js';

const id = z.number().int().positive();

/**
 * POST /v1/message/send (messages.md). Which fields may go together is decided in domain/targets.ts.
 * `creator_id` or `creator_email` (real client code sends the member's email; the id wins when both
 * are given); the route resolves the email and 400s when neither is given.
 */
export const sendBody = z.object({
  inbox_id: required(id),
  creator_id: id.optional().describe('Sending member id (required unless creator_email is given)'),
  creator_email: emailAddress.optional().describe("Sending member's email, instead of creator_id (matched case-insensitively; creator_id wins when both are given)"),
  phone_number: e164.optional(),
  chat_id: id.optional(),
  list_id: id.optional(),
  targets: maxItems(z.array(e164), 50).optional(),
  text: z.string().max(10_000).optional(),
  media_url: z.url({ protocol: /^https?$/, message: 'must be a public http(s) URL' }).optional(),
  template_id: id.optional(),
  survey_id: id.optional(),
  local_id: z.string().min(1).max(255).optional(),
  private: z.boolean().optional(),
  activity_id: z.string().max(255).optional(),
  author: z.string().max(255).optional(),
});

export const sendResponse = z.object({ id: z.number().int(), date: z.string(), gallery_url: z.string() });

export const message = z.object({
  id: z.number().int(),
  author: z.string(),
  broadcast_id: z.number().int().describe('0 when not part of a list broadcast'),
  conversation: conversation,
  custom: z.object({ data: z.array(z.number().int()), type: z.string() }),
  date: z.string(),
  flagged: z.boolean(),
  link_url: z.string(),
  local_id: z.string(),
  media: z.string(),
  phone: z.string(),
  status: z.enum(['queued', 'sent', 'delivered', 'failed', 'received']),
  super: z.number().int(),
  support: z.boolean(),
  target: z.string(),
  text: z.string(),
  type: z.enum(['outbound', 'inbound', 'note']),
  updated: z.string(),
  user: z.number().int().describe('Sending member id; 0 for inbound messages'),
});

/** GET /v1/messages: camelCase query parameters (doc). */
export const historyQuery = z.object({
  phoneNumber: required(e164),
  inboxID: required(z.string().regex(/^[1-9][0-9]*$/, 'must be an inbox id').transform(Number)),
  timestamp: z
    .string()
    .regex(/^[0-9]{1,12}$/, 'must be a Unix timestamp in seconds')
    .transform(Number)
    .optional(),
});

/** POST /v1/messages/all: the old body (created_at, order, ascending, limit) and the generic Pagination json. */
export const listAllBody = z.object({
  created_at: z.iso.datetime({ offset: true }).optional(),
  date: z.iso.datetime({ offset: true }).optional(),
  order: z.enum(['created_at', 'updated_at'], { message: 'must be created_at or updated_at' }).optional(),
  ascending: z.boolean().optional(),
  limit: pageLimit.optional(),
  page: z.number().int().min(0).optional(),
  archived: z.boolean().optional(),
  assigned: z.number().int().optional(),
  filter: z.string().optional(),
  id: z.number().int().optional(),
  parent_id: z.number().int().optional(),
});
