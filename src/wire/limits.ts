import { z } from 'zod';

// Every array and map a request may send has a documented maximum (README "Request limits",
// docs/decisions.md "request limits"), so no request makes the mock do unbounded work per item
// or bind unbounded SQL parameters. A list or map over its maximum is refused with
// `too_many_items` BEFORE its items are parsed: a 100 000-phone array is one length check, not
// 100 000 phone parses.

/** The error code of every "more items than the maximum" refusal. */
export const TOO_MANY_ITEMS = 'too_many_items';

const tooMany = (max: number, got: number, unit: 'items' | 'keys') =>
  `must hold at most ${max} ${unit} (got ${got}); send several requests if you need more`;

/**
 * An array schema limited to `max` items: the count is checked before any item is parsed, and the
 * OpenAPI document shows `maxItems`. Pass the array with its own rules (`.min(1)`, `required`): it
 * is used as given (not cloned), so a `required` hint on it still applies.
 */
export function maxItems<T extends z.ZodArray<z.ZodType>>(array: T, max: number) {
  return z.preprocess((value, ctx) => {
    if (Array.isArray(value) && value.length > max) {
      ctx.addIssue({ code: 'custom', message: tooMany(max, value.length, 'items'), params: { error_code: TOO_MANY_ITEMS }, input: value });
    }
    return value;
  }, array).meta({ maxItems: max });
}

/**
 * A map (JSON object used as a record) limited to `max` keys, counted before any value is
 * parsed; the OpenAPI document shows `maxProperties`.
 */
export function maxKeys<T extends z.ZodType>(record: T, max: number) {
  return z.preprocess((value, ctx) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const n = Object.keys(value).length;
      if (n > max) ctx.addIssue({ code: 'custom', message: tooMany(max, n, 'keys'), params: { error_code: TOO_MANY_ITEMS }, input: value });
    }
    return value;
  }, record).meta({ maxProperties: max });
}
