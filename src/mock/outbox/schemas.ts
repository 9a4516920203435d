import { z } from 'zod';
import { listQuery } from '../list-query.js';

export const outboxQuery = z.strictObject({
  to: z.string().min(1).optional().describe('A phone number or email address: matches any recipient, to or cc'),
  inbox_id: z.coerce.number().int().positive().optional(),
  conversation_id: z.coerce.number().int().positive().optional(),
  message_id: z.coerce.number().int().positive().optional(),
  local_id: z.string().min(1).optional(),
  channel: z.enum(['sms', 'mms', 'email']).optional(),
  ...listQuery,
});

export const outboxEntry = z.object({
  id: z.number().int(),
  message_id: z.number().int(),
  conversation_id: z.number().int(),
  inbox_id: z.number().int(),
  channel: z.enum(['sms', 'mms', 'email']),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().describe("The email thread's title; empty for SMS and MMS"),
  text: z.string().describe('What the recipient got: merge tokens resolved, template or survey rendered'),
  media_url: z.string(),
  local_id: z.string(),
  status: z.string().describe("The message's current delivery status: sent, delivered or failed"),
  error_code: z.string().nullable(),
  codes: z.array(z.string()).describe('Standalone runs of 4-8 digits in subject and text, in order'),
  links: z.array(z.string()).describe('http(s) URLs in subject and text, in order'),
  segments: z.number().int().nullable().describe('SMS segments (null for email)'),
  encoding: z.enum(['GSM-7', 'UCS-2']).nullable().describe('SMS encoding (null for email)'),
  created: z.string(),
});

export const outboxList = z.object({ entries: z.array(outboxEntry), last_id: z.number().int() });
export const outboxParams = z.object({ id: z.coerce.number().int().positive() });
