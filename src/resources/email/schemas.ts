import { z } from 'zod';
import { required } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';

const id = z.number().int().positive();

/** POST /v1/email/send (email.md). Note `inbox`, not `inbox_id`. */
export const emailSendBody = z.object({
  creator_id: required(id),
  inbox: required(id, 'is required (the email inbox id; this endpoint calls it inbox, not inbox_id)'),
  text: required(z.string().min(1, 'must not be empty').max(200_000)),
  raw_text: z.string().max(200_000).optional(),
  local_id: z.string().min(1).max(255).optional(),
  conv_title: z.string().max(998).optional(),
  targets: maxItems(z.array(z.string()).min(1, 'list at least one "to:" element'), 20).optional(),
  convo_id: id.optional(),
});

export const emailSendResponse = z.object({
  id: z.number().int(),
  convo_id: z.number().int(),
  queued: z.boolean(),
  date: z.string(),
  compliance_results: z.record(z.string(), z.unknown()),
});
