import { z } from 'zod';
import { e164Problem } from '../domain/phone.js';

// Zod pieces shared by every resource's schemas.ts: one definition per wire rule.

/** A phone field: E.164 digits without '+'. */
export const e164 = z.string().superRefine((value, ctx) => {
  const problem = e164Problem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { error_code: 'invalid_phone' } });
});

/** RFC 3339 date-time, with Z or an offset (e.g. 2026-04-16T00:00:00+00:00). */
export const rfc3339 = z.iso.datetime({ offset: true, local: false });

export const emailAddress = z.email({ message: 'must be a valid email address' });

/** An integer id in a path, e.g. /v1/contact/{id}. */
export const idParams = z.object({
  id: z
    .string()
    .superRefine((v, ctx) => {
      if (/^[1-9][0-9]{0,15}$/.test(v)) return;
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
      ctx.addIssue({
        code: 'custom',
        message: uuid
          ? 'must be a positive integer id; this is a UUID, and v1 paths take the integer id (a contact by UUID is /v2/contacts/{uuid})'
          : 'must be a positive integer id',
        params: { error_code: 'invalid_id' },
      });
    })
    .transform(Number),
});

/** Boolean query flags such as ?overwrite=true. */
export const queryBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const ok = z.literal('ok');
export const success = z.literal('success');

/**
 * An optional filter body: absent, `null` and an empty JSON array all mean "no filters" ({}).
 * Clients often send no body to list endpoints, and PHP's `json_encode([])` is `[]`.
 */
export function bodyOrEmpty<T extends z.ZodTypeAny>(schema: T) {
  const optional = z.preprocess((v) => (v === undefined || v === null || (Array.isArray(v) && v.length === 0) ? {} : v), schema);
  optionalBodies.add(optional);
  return optional;
}

const optionalBodies = new WeakSet<object>();

/** Whether a route's body schema came from bodyOrEmpty (the OpenAPI document marks it optional). */
export function isOptionalBody(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && optionalBodies.has(schema);
}

/** The largest page any list endpoint serves (decision G8); a larger `limit` is clamped to it. */
export const MAX_PAGE = 1000;

/** A page size: a positive integer; above MAX_PAGE it is served as MAX_PAGE, never refused. */
export const pageLimit = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .transform((n) => Math.min(n, MAX_PAGE))
  .describe(`Page size; values above ${MAX_PAGE} are served as ${MAX_PAGE}`);

/** A count answered as a JSON string, like the documented message count ("42"). */
export const countString = z.string().regex(/^[0-9]+$/);

/**
 * Missing required fields say "is required" (or a hint given to `required`) instead of zod's
 * "expected string, received undefined". Every parse the mock does passes `wireParse`
 * (`schema.safeParse(data, wireParse)`): a per-parse error map, never zod's global config, so a
 * program that embeds the mock keeps zod's own messages for its own schemas.
 */
const requiredHints = new WeakMap<object, string>();
const requiredMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return requiredHints.get(issue.inst ?? {}) ?? 'is required';
  return whatToSend(issue);
};

const KINDS: Record<string, string> = { number: 'a number', string: 'a string', boolean: 'true or false', object: 'a JSON object', array: 'a JSON array', int: 'a whole number' };

/** What a value is, in words a client developer recognises: `the string "12"`, `null`, `NaN`. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

/** zod's raw wording ("expected number, received NaN", "Invalid input") as what to send instead. */
function whatToSend(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${KINDS[issue.expected] ?? issue.expected} (got ${describeValue(issue.input)})`;
    case 'invalid_union':
      return `has a form this field does not take (got ${describeValue(issue.input)}); see this endpoint in /docs`;
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}`;
    case 'too_big': {
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' || issue.origin === 'set' ? ' items' : issue.origin === 'object' || issue.origin === 'record' ? ' keys' : '';
      return `must be at most ${String(issue.maximum)}${unit}${issue.inclusive === false ? ' (exclusive)' : ''}`;
    }
    case 'too_small': {
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' || issue.origin === 'set' ? ' items' : '';
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      return `must be at least ${String(issue.minimum)}${unit}`;
    }
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return undefined;
  }
}
export const wireParse: z.core.ParseContext<z.core.$ZodIssue> = { error: requiredMessage };

/** A required field with its own "missing" message; the schema (and its OpenAPI type) is unchanged. */
export function required<T extends z.ZodType>(schema: T, what = 'is required'): T {
  const copy = schema.clone();
  requiredHints.set(copy, what);
  return copy;
}

/** Treats `"key": null` in a request object like an absent key (many clients serialize nulls). */
export function nullAsAbsent<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess((v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
  }, schema);
}
