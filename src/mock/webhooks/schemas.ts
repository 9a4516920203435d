import { z } from 'zod';
import { EVENT_TYPES } from '../../resources/events/store.js';
import { maxItems } from '../../wire/limits.js';
import { listQuery } from '../list-query.js';

// Wire shapes of /__mock/webhooks (control-plane spec, Webhooks). The same registration shape is
// a seed team's `webhooks` (src/mock/seed/schemas.ts).

export const MAX_TOKEN_LENGTH = 256;
/** Registrations per team (a seed team's list and POST /__mock/webhooks alike). */
export const MAX_WEBHOOKS_PER_TEAM = 50;

const eventType = z.enum(EVENT_TYPES);

/** `{url, events?, token?}`: POST /__mock/webhooks, and each entry of a seed team's `webhooks`. */
export const webhookSpec = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL (loopback addresses are fine)' })
    .max(2048)
    .describe('Where each event is POSTed; http(s), loopback allowed'),
  events: maxItems(z.array(eventType).min(1, 'must list at least one event type (leave it out for all of them)'), EVENT_TYPES.length * 2)
    .optional()
    .describe(`Event types it receives (${EVENT_TYPES.join(', ')}); absent: all`),
  token: z.string().min(1).max(MAX_TOKEN_LENGTH).optional().describe('Sent as `token` in every payload; absent: a generated secret'),
});
export type WebhookSpec = z.output<typeof webhookSpec>;

export const webhook = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(eventType),
  token: z.string(),
  created: z.string(),
});

export const attempt = z.object({
  n: z.number().int().describe('1 for the first attempt'),
  at: z.string().describe("When it left, by the team's clock"),
  response_status: z.number().int().describe('The HTTP status answered; 0 when none came (timeout, refused connection), as every unset integer (decision K12)'),
  error: z.string().nullable().describe('Why it failed; null for a 2xx'),
  latency_ms: z.number().int().describe('Real time from sending to the answer (or the failure)'),
});

export const delivery = z.object({
  id: z.number().int(),
  webhook_id: z.number().int(),
  event_id: z.number().int(),
  type: eventType,
  url: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.array(attempt),
  next_attempt_at: z.string().nullable().describe("The next planned attempt by the team's clock; null when none is planned"),
  created: z.string(),
});

export const deliveryQuery = z.strictObject({
  webhook_id: z.coerce.number().int().positive().optional(),
  type: eventType.optional(),
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
  ...listQuery,
});
