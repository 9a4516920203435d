import { z } from 'zod';
import { maxKeys } from '../../wire/limits.js';
import { MAX_PATTERN_LENGTH, patternProblem } from './pattern.js';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** A stored `body` is kept in memory per rule: bounded like everything the mock keeps. */
export const MAX_BODY_CHARS = 65_536;
export const MAX_HEADERS = 50;

/** RFC 9110 token characters: what Node accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What Node accepts in a header value (no CR, LF, NUL or other control characters but tab). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers that frame the HTTP message or name the request: a rule may not set them. */
const RESERVED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'x-request-id']);

const code = (error_code: string) => ({ error_code });

const method = z
  .string()
  .superRefine((v, ctx) => {
    if (!(METHODS as readonly string[]).includes(v.toUpperCase())) {
      ctx.addIssue({ code: 'custom', message: `must be an HTTP method: one of ${METHODS.join(', ')} (or leave it out for any), got ${JSON.stringify(v)}`, params: code('invalid_value') });
    }
  })
  .describe(`HTTP method (${METHODS.join(', ')}; case-insensitive); absent: any method`);

const path = z
  .string()
  .max(MAX_PATTERN_LENGTH)
  .superRefine((v, ctx) => {
    const problem = patternProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: code('invalid_format') });
  })
  .describe("An exact path (/v1/contact/12) or a pattern: '*' matches one path segment, '**' any number (/v1/contact/*, /v2/**). Never /__mock/*");

const headers = maxKeys(
  z.record(z.string(), z.string()).superRefine((h, ctx) => {
    for (const name of Object.keys(h)) {
      const value = h[name]!;
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${JSON.stringify(name)} is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only)`, params: code('invalid_format') });
      } else if (RESERVED_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} frames the HTTP answer (or identifies the request) and cannot be set by a fault rule`, params: code('invalid_value') });
      } else if (!HEADER_VALUE.test(value)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'a header value must not contain line breaks or control characters', params: code('invalid_format') });
      }
    }
  }),
  MAX_HEADERS,
).describe('Extra headers of the fault answer (string values); a 429 without Retry-After gets Retry-After: 1');

const body = z
  .unknown()
  .superRefine((v, ctx) => {
    if ((JSON.stringify(v) ?? "").length > MAX_BODY_CHARS) ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_BODY_CHARS} characters as JSON`, params: code('too_large') });
  })
  .describe("The fault answer's body: any JSON (a string is sent as-is when headers set Content-Type). Absent: the mock's error shape with error_code injected_fault");

export const faultCreate = z
  .strictObject({
    method: method.optional(),
    path,
    status: z.number().int().min(400).max(599).optional().describe('Answer with this status (400–599) instead of running the handler'),
    body: body.optional(),
    headers: headers.optional(),
    delay_ms: z.number().int().min(0).max(60_000).optional().describe('Wait this long (0–60000 ms), then answer as usual, or with status when given'),
    drop: z.boolean().optional().describe('true: close the connection with no answer (after delay_ms when given)'),
    times: z.number().int().min(1).max(1_000_000_000).optional().describe('Answer only the next N matching requests, then the rule is spent (remaining 0); absent: no limit'),
    probability: z.number().min(0).max(1).optional().describe('Chance (0–1, default 1) that a matching request is answered by the rule'),
    seed: z
      .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(200)])
      .optional()
      .describe('Seeds the rule\'s draws: the same seed and the same requests give the same outcomes (absent: a random seed, shown in the rule)'),
  })
  .superRefine((b, ctx) => {
    const issue = (field: string, message: string, error_code: string) => ctx.addIssue({ code: 'custom', path: [field], message, params: code(error_code) });
    if (b.drop === true && b.status !== undefined) issue('drop', 'drop closes the connection with no answer, so it cannot be given with status', 'invalid_value');
    else if (b.status === undefined && b.delay_ms === undefined && b.drop !== true) {
      issue('status', 'a rule must do something: give status (400–599), delay_ms (0–60000) or drop: true', 'required_field');
    }
    if (b.status === undefined && 'body' in b) issue('body', 'body is the answer of a status rule: give status too', 'invalid_value');
    if (b.status === undefined && b.headers !== undefined) issue('headers', 'headers go with the answer of a status rule: give status too', 'invalid_value');
  });

export type FaultCreate = z.infer<typeof faultCreate>;

export const faultRule = z.object({
  id: z.number().int(),
  method: z.string().nullable().describe('null: any method'),
  path: z.string(),
  status: z.number().int().nullable().describe('null: no status answer (delay or drop only)'),
  body: z.unknown().optional().describe('Only when given: the answer body; absent, the mock\'s error shape'),
  headers: z.record(z.string(), z.string()),
  delay_ms: z.number().int().nullable(),
  drop: z.boolean(),
  times: z.number().int().nullable().describe('null: no limit'),
  remaining: z.number().int().nullable().describe('Answers left (0: spent); null: no limit'),
  probability: z.number(),
  seed: z.union([z.number().int(), z.string()]),
  hits: z.number().int().describe('Matching requests the rule answered'),
  created: z.string().describe('Team clock, RFC 3339 UTC with milliseconds'),
});

export const faultParams = z.object({
  id: z
    .string()
    .superRefine((v, ctx) => {
      if (!/^[1-9][0-9]{0,15}$/.test(v)) ctx.addIssue({ code: 'custom', message: 'must be a positive integer id (a fault rule id from POST /__mock/faults)', params: code('invalid_id') });
    })
    .transform(Number),
});
