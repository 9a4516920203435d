import { z } from 'zod';
import { e164Problem } from '../domain/phone.js';

// Zod pieces shared by every resource's schemas.ts: one definition per wire rule.

/** A phone field: E.164 digits without '+'. */
export const e164 = z.string().superRefine((value, ctx) => {
  const problem = e164Problem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** RFC 3339 date-time, with Z or an offset (e.g. 2026-04-16T00:00:00+00:00). */
export const rfc3339 = z.iso.datetime({ offset: true, local: false });

export const emailAddress = z.email({ message: 'must be a valid email address' });

/** An integer id in a path, e.g. /v1/contact/{id}. */
export const idParams = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer id').transform(Number),
});

/** Boolean query flags such as ?overwrite=true. */
export const queryBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const ok = z.literal('ok');
export const success = z.literal('success');

export const errorBody = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});

/** Accepts an absent body as {} (clients often send none to list endpoints). */
export function bodyOrEmpty<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess((v) => (v === undefined || v === null ? {} : v), schema);
}

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
  if (issue.code !== 'invalid_type' || issue.input !== undefined) return undefined;
  return requiredHints.get(issue.inst ?? {}) ?? 'is required';
};
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
