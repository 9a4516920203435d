import fc from 'fast-check';
import type { ZodType } from 'zod';

// Arbitraries derived from a route's own zod 4 schema, by walking its definition (`_zod.def`):
// `valid` aims at values the schema accepts (so requests reach the handlers, not only the parser),
// `fuzzed` mixes those with mutations at every node (wrong types, missing fields, extreme lengths,
// unicode, big numbers). Refinements zod cannot describe (superRefine: phone numbers, ids) are met
// by field-name hints and by ids that exist in the fixture store (`Pools`).

type Def = {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  format?: string;
  pattern?: RegExp;
  shape?: Record<string, ZodType>;
  element?: ZodType;
  options?: ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  innerType?: ZodType;
  keyType?: ZodType;
  valueType?: ZodType;
  items?: ZodType[];
  in?: ZodType;
  out?: ZodType;
  left?: ZodType;
  right?: ZodType;
  getter?: () => ZodType;
  minimum?: number;
  maximum?: number;
};
type CheckDef = { check: string; minimum?: number; maximum?: number; value?: number; inclusive?: boolean; format?: string; pattern?: RegExp; length?: number };

const defOf = (s: ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (s: ZodType): CheckDef[] => {
  const d = defOf(s);
  // A format schema (z.email(), z.int()) is its own check; chained ones are in `checks`.
  const own: CheckDef[] = d.format ? [{ check: d.type === 'number' ? 'number_format' : 'string_format', format: d.format, pattern: d.pattern }] : [];
  return [...own, ...(d.checks ?? []).map((c) => c._zod.def)];
};

/** Values taken from the fixture store, so ids in bodies and paths hit real rows too. */
export interface Pools {
  ints: number[];
  uuids: string[];
  phones: string[];
  emails: string[];
  strings: string[];
}

/** Values of the wrong shape for almost any field; lone surrogates, huge and odd numbers, long strings. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 4294967296, '', ' ', '0', '-1', 'null', 'true', '1e999', '99999999999999999999', [], {}, [null], [[]], { '': 1 }),
  fc.constantFrom<unknown>('\uD800', 'a\uDC00b', '\u0000', '\u202Etxt', '🧪👩‍👩‍👧', 'ﷺ'.repeat(50), '2026-13-45T99:99:99Z', '+14155551234', 'a@b', '<script>', "'; DROP TABLE contacts; --"),
  fc.constantFrom<unknown>('x'.repeat(10_001), 'é'.repeat(70_000), Array.from({ length: 1_000 }, (_, i) => i), Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]))),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.nat(60).map((depth) => nest(depth)),
);

function nest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

// Valid mode draws from the pools (values that exist or pass); mutate mode adds near misses.
const phone = (p: Pools, mutate: boolean) =>
  mutate ? fc.oneof(fc.constantFrom(...p.phones, '+14155550101', '447700900123', '1415555'), fc.stringMatching(/^1[2-9]\d{2}[2-9]\d{6}$/)) : fc.constantFrom(...p.phones, '14155550100', '447911123456');
const email = (p: Pools, mutate: boolean) => (mutate ? fc.oneof(fc.constantFrom(...p.emails), fc.emailAddress()) : fc.constantFrom(...p.emails, 'ada@example.com', 'zoë@exämple.com'));
/** Text as clients send it: mostly plain words, often full unicode (emoji, combining marks, RTL). */
const text = (min = 0, max = 40) =>
  fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
    fc.string({ unit: 'binary', minLength: min, maxLength: max }),
  );

/** A value `schema` accepts, as far as its definition says (children are `valid` too, or `fuzzed` when `mutate`). */
export function valid(schema: ZodType, pools: Pools, key = '', depth = 0, mutate = false): fc.Arbitrary<unknown> {
  const child = (s: ZodType, k = key) => (mutate ? fuzzed(s, pools, k, depth + 1) : valid(s, pools, k, depth + 1));
  const d = defOf(schema);
  const checks = checksOf(schema);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? checks.find((c) => c.check === 'length_equals')?.length;
  const max = checks.find((c) => c.check === 'max_length')?.maximum ?? checks.find((c) => c.check === 'length_equals')?.length;
  switch (d.type) {
    case 'string':
      return stringOf(checks, pools, key, mutate, min, max);
    case 'number':
    case 'int':
      return numberOf(checks, pools, key, mutate);
    case 'bigint':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(d.values ?? [null]));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries ?? { a: 'a' }));
    case 'optional':
      return fc.option(child(d.innerType!), { nil: undefined, freq: 2 });
    case 'nullable':
      return fc.option(child(d.innerType!), { nil: null, freq: 5 });
    case 'default':
    case 'prefault':
      return fc.option(child(d.innerType!), { nil: undefined, freq: 3 });
    case 'catch':
    case 'readonly':
    case 'nonoptional':
    case 'success':
      return child(d.innerType!);
    case 'lazy':
      return depth > 6 ? fc.constant(undefined) : child(d.getter!());
    case 'pipe':
      // z.preprocess(fn, schema) is pipe(transform, schema): the schema after it says what is accepted.
      return defOf(d.in!).type === 'transform' ? child(d.out!) : child(d.in!);
    case 'union':
      return fc.oneof(...d.options!.map((o) => child(o)));
    case 'intersection':
      return fc.tuple(child(d.left!), child(d.right!)).map(([a, b]) => (isObj(a) && isObj(b) ? { ...a, ...b } : a));
    case 'tuple':
      return fc.tuple(...d.items!.map((s) => child(s)));
    case 'array':
      if (depth > 6) return fc.constant([]);
      return fc.array(child(d.element!), { minLength: min ?? 0, maxLength: Math.max(min ?? 0, Math.min(max ?? 4, 4)) });
    case 'record': {
      if (depth > 6) return fc.constant({});
      const keys = valid(d.keyType!, pools, key, depth + 1).filter((k): k is string => typeof k === 'string');
      const known = fc.constantFrom(...pools.ints.map(String), ...pools.strings);
      return fc.dictionary(mutate ? fc.oneof(keys, known) : known, child(d.valueType!), { maxKeys: mutate ? 4 : 2 });
    }
    case 'object': {
      if (depth > 6) return fc.constant({});
      const shape = d.shape ?? {};
      const entries = Object.entries(shape);
      return fc
        .tuple(...entries.map(([k, s]) => child(s, k)), fc.array(fc.nat(entries.length), { maxLength: mutate ? 1 : 0 }))
        .map((vals) => {
          const dropped = new Set(vals.pop() as number[]);
          const out: Record<string, unknown> = {};
          entries.forEach(([k], i) => {
            if (vals[i] !== undefined && !dropped.has(i)) out[k] = vals[i];
          });
          return out;
        });
    }
    default:
      // any, unknown, custom, transform, date, ...: whatever JSON can say.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** `valid`, with a mutation at this node now and then (and below it, recursively). */
export function fuzzed(schema: ZodType, pools: Pools, key = '', depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid(schema, pools, key, depth, true), weight: 24 }, { arbitrary: junk, weight: 1 });
}

/** A whole request part: often fully valid, often mutated here and there, sometimes junk outright. */
export function requestPart(schema: ZodType, pools: Pools): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid(schema, pools), weight: 4 }, { arbitrary: valid(schema, pools, '', 0, true), weight: 4 }, { arbitrary: junk, weight: 1 });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringOf(checks: CheckDef[], pools: Pools, key: string, mutate: boolean, min?: number, max?: number): fc.Arbitrary<unknown> {
  const format = checks.find((c) => c.check === 'string_format');
  switch (format?.format) {
    case 'email':
      return email(pools, mutate);
    case 'uuid':
    case 'guid':
      return fc.oneof(fc.constantFrom(...pools.uuids), fc.uuid());
    case 'datetime':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((x) => x.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((x) => x.toISOString().slice(0, 10));
    case 'url':
      return fc.webUrl();
    case 'regex':
      return fc.stringMatching(format.pattern!);
  }
  const hinted: fc.Arbitrary<unknown>[] = [];
  if (/phone|number|^targets?$|^to$|^from$/i.test(key)) hinted.push(phone(pools, mutate));
  // Names whose values are a short vocabulary a refinement checks (not an enum zod can describe).
  if (/^channel_type$/i.test(key)) hinted.push(fc.constantFrom('phone', 'email'));
  if (/^method$/i.test(key)) hinted.push(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'));
  if (/^path$/i.test(key)) hinted.push(fc.constantFrom('/v1/contact/*', '/v2/**', '/v1/message/send'));
  if (/email/i.test(key)) hinted.push(email(pools, mutate));
  if (/(^|_)id$|Id$|ids$|^id/i.test(key)) hinted.push(fc.constantFrom(...pools.uuids, ...pools.ints.map(String)));
  if (/date|_at$|time|^set$|until|since/i.test(key)) hinted.push(fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((x) => x.toISOString()));
  const plain = fc.oneof(text(min ?? 0, Math.max(min ?? 0, Math.min(max ?? 40, 40))), fc.constantFrom(...pools.strings));
  if (!hinted.length) return plain;
  return mutate ? fc.oneof({ arbitrary: fc.oneof(...hinted), weight: 3 }, { arbitrary: plain, weight: 1 }) : fc.oneof(...hinted);
}

function numberOf(checks: CheckDef[], pools: Pools, key: string, mutate: boolean): fc.Arbitrary<unknown> {
  const int = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
  const lo = checks.find((c) => c.check === 'greater_than');
  const hi = checks.find((c) => c.check === 'less_than');
  const min = lo ? (lo.inclusive ? lo.value! : lo.value! + (int ? 1 : 1e-9)) : undefined;
  const max = hi ? (hi.inclusive ? hi.value! : hi.value! - (int ? 1 : 1e-9)) : undefined;
  const ranged = int
    ? fc.integer({ min: Math.max(min ?? -10, -(2 ** 31)), max: Math.min(max ?? 1_000, 2 ** 31) })
    : fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  const edges = [min, max].filter((v): v is number => v !== undefined && Math.abs(v) < 2 ** 53);
  const arbs: fc.Arbitrary<unknown>[] = [ranged];
  if (edges.length) arbs.push(fc.constantFrom(...edges));
  const ids = pools.ints.filter((n) => (min === undefined || n >= min) && (max === undefined || n <= max));
  if (/id$|ids$|^id/i.test(key) && ids.length) return mutate ? fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 3 }, ...arbs) : fc.constantFrom(...ids);
  return fc.oneof(...arbs);
}

/** The fields of an object schema, through the wrappers around it (optional, default, preprocess, ...); undefined for any other schema. */
export function shapeOf(schema: ZodType): Record<string, ZodType> | undefined {
  let s: ZodType | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    const d = defOf(s);
    if (d.type === 'object') return d.shape;
    if (d.type === 'pipe') s = defOf(d.in!).type === 'transform' ? d.out : d.in;
    else s = d.innerType;
  }
  return undefined;
}
