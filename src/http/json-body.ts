import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ApiError, fieldName } from '../core/errors.js';

/**
 * The API speaks JSON only. An empty (or all-whitespace) body counts as no body (list endpoints
 * are often called without one), and a body sent with another Content-Type (curl -d sends form
 * encoding) is still read as JSON rather than refused.
 *
 * Parsing is Fastify's own (secure-json-parse): a body that sets `__proto__` or
 * `constructor.prototype` is refused like malformed JSON, so no body can pollute prototypes.
 *
 * Before any route sees a body it must be text the mock can store and echo exactly (decision
 * "bodies" in docs/decisions.md, README "Request limits"):
 * - valid UTF-8: the bytes are decoded strictly, so an invalid byte is a 400 `invalid_unicode`
 *   naming the body instead of a silent U+FFFD;
 * - no lone UTF-16 surrogate in any string or key (JSON allows the escape "\ud800"; SQLite and
 *   every UTF-8 consumer would turn it into U+FFFD): a 400 `invalid_unicode` naming the field;
 * - nested at most MAX_DEPTH arrays/objects deep: a 400 `invalid_json`. Every later step that
 *   recurses (zod, serializers, JSON.stringify of an echoed item) is then safe.
 * One iterative walk (an explicit stack, no recursion that a deep body could overflow) checks the
 * last two after parsing; V8's JSON.parse is itself iterative.
 *
 * GET (and so HEAD) may carry a body where a route declares one in its schema: GET /v1/users/get
 * is documented with a JSON body. Call before any route is added.
 */
export function registerJsonBody(app: FastifyInstance) {
  for (const method of ['GET', 'HEAD']) app.addHttpMethod(method, { hasBody: true, overrideExisting: true });
  app.addHook('onRequest', getBodyOnlyWhereDeclared);

  const secure = app.getDefaultJsonParser('error', 'error');
  const parse = (request: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const text = typeof body === 'string' ? body : decodeUtf8(body);
    if (text === undefined) return done(notUtf8(body as Buffer));
    if (text.trim() === '') return done(null, undefined);
    secure(request, text, (err, value) => {
      if (err) return done(badJson(text));
      const problem = checkValue(value);
      return problem ? done(problem) : done(null, value);
    });
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parse);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, parse);
}

/** The deepest nesting of arrays and objects a body may have (the top-level value is depth 1). */
export const MAX_DEPTH = 32;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a UTF-8 body (a leading BOM dropped), or undefined when the bytes are not UTF-8. */
function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The refusal of bytes that are not UTF-8, naming the first invalid one. `bytes` may be the end of
 * a body that starts a sequence at `base` (its offset in the body), everything before being valid.
 */
export function notUtf8(bytes: Uint8Array, base = 0): ApiError {
  const at = firstInvalidUtf8(bytes);
  return new ApiError(
    400,
    'bad_data',
    `body: is not valid UTF-8 (invalid byte 0x${bytes[at]?.toString(16).padStart(2, '0') ?? '??'} at offset ${base + at}); send the JSON text encoded as UTF-8`,
    'body',
  ).coded('invalid_unicode');
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isLone = (s: string) => SURROGATE.test(s) && LONE_SURROGATE.test(s);

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/** The path of a frame as a field name ("contacts[2].first"). */
function pathOf(frame: Frame | undefined): string {
  const keys: Array<string | number> = [];
  for (let f = frame; f && f.key !== undefined; f = f.parent) keys.push(f.key);
  return fieldName(keys.reverse());
}

/** checkSteps run to its end in one synchronous step. */
function checkValue(root: unknown): ApiError | undefined {
  const steps = checkSteps(root);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * Walks a parsed body once, without recursion: refuses nesting deeper than MAX_DEPTH and any string
 * or key holding a lone surrogate, naming where (the first met, in this walk's order). Pauses
 * (yields) after every `every` array items or object keys, so that a caller can spread the walk of
 * a huge body over several event-loop turns; the answer is the generator's return value.
 */
export function* checkSteps(root: unknown, every = Infinity): Generator<void, ApiError | undefined> {
  if (typeof root === 'string') return isLone(root) ? loneSurrogate('') : undefined;
  if (typeof root !== 'object' || root === null) return undefined;
  // Only containers get a frame; strings are checked where they are met, numbers skipped, so a
  // body of a million numbers costs a loop, not a million allocations.
  const stack: Frame[] = [{ value: root, depth: 1, parent: undefined, key: undefined }];
  let left = every;
  while (stack.length) {
    const f = stack.pop()!;
    if (f.depth > MAX_DEPTH) {
      const at = pathOf(f);
      return new ApiError(
        400,
        'bad_data',
        `${at || 'body'}: is nested more than ${MAX_DEPTH} arrays/objects deep (the most a body may be); flatten the data`,
        at || undefined,
      ).coded('invalid_json');
    }
    const v = f.value;
    const depth = f.depth + 1;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        if (--left === 0) {
          yield;
          left = every;
        }
        const x: unknown = v[i];
        if (typeof x === 'string') {
          if (isLone(x)) return loneSurrogate(pathOf({ value: x, depth, parent: f, key: i }));
        } else if (typeof x === 'object' && x !== null) stack.push({ value: x, depth, parent: f, key: i });
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        if (--left === 0) {
          yield;
          left = every;
        }
        if (isLone(key)) return loneSurrogate(pathOf(f), true);
        const x = o[key];
        if (typeof x === 'string') {
          if (isLone(x)) return loneSurrogate(pathOf({ value: x, depth, parent: f, key }));
        } else if (typeof x === 'object' && x !== null) stack.push({ value: x, depth, parent: f, key });
      }
    }
  }
  return undefined;
}

function loneSurrogate(at: string, inKey = false): ApiError {
  const where = at || 'body';
  return new ApiError(
    400,
    'bad_data',
    `${where}: ${inKey ? 'has a key that holds' : 'holds'} a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape), which is not text and cannot be stored; send the character itself or a complete surrogate pair`,
    at || undefined,
  ).coded('invalid_unicode');
}

/**
 * With GET and HEAD "with body", Fastify would read the body of every GET (413 past bodyLimit)
 * and answer 415 to a GET whose Content-Type it cannot parse (an empty one, say). A GET whose
 * route declares no body ignores its body unread, as before: the framing headers are hidden from
 * Fastify's body step. A declared GET body is JSON whatever its Content-Type (the '*' parser).
 */
function getBodyOnlyWhereDeclared(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return done();
  const h = request.raw.headers;
  if (h['content-type'] === undefined && h['content-length'] === undefined && h['transfer-encoding'] === undefined) return done();
  delete h['content-type'];
  if (request.routeOptions.schema?.body === undefined) {
    delete h['content-length'];
    delete h['transfer-encoding'];
  }
  done();
}

/** Names what is wrong with a body the secure parser refused (only runs on that error path). */
export function badJson(text: string): ApiError {
  try {
    JSON.parse(text);
  } catch (e) {
    return notJson((e as Error).message);
  }
  return prototypePollution();
}

export const notJson = (reason: string) => new ApiError(400, 'bad_data', `body is not valid JSON: ${reason}`).coded('invalid_json');

export const prototypePollution = () =>
  new ApiError(
    400,
    'bad_data',
    'body must not contain a "__proto__" key or a "constructor" object with a "prototype" key (refused as prototype pollution)',
  ).coded('invalid_json');
