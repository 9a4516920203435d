import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isKnownErrorCode } from '../../src/core/error-codes.js';
import { FAULT_ANSWER } from '../../src/mock/faults/hook.js';
import { conversation } from '../../src/resources/conversations/schemas.js';
import { message } from '../../src/resources/messages/schemas.js';
import { INTERNAL_ITEM_FAILURE } from '../../src/resources/contacts/service.js';

/**
 * A response-wide check over every test that uses startApp (test/support/app.ts installs it on
 * each app; its afterEach fails the test that produced a violation). It flags:
 *  - a `null` where the route's response schema types a number (typed clients generated from
 *    Heymarket's schema reject it: docs/decisions.md K12), whether or not the schema says
 *    `.nullable()`: a nullable integer is the very declaration this check exists to catch;
 *  - an error body (status >= 400) without an `error_code` from src/core/error-codes.ts, in the
 *    body or in any of its `errors[]`;
 *  - a batch answer that lists an item failed for want of a rule (a bug or a storage error the
 *    batch reports per item rather than as a 500: decision R6).
 * Exempt: fault-rule custom bodies (user-chosen, POST /__mock/faults), and the control plane's own
 * fields whose `null` is its contract (NULL_IS_CONTRACT). `GET /__mock/events` declares
 * event_data as any JSON; the check reads it as the API object it is (EVENT_DATA).
 */

export interface Violation {
  /** Method and route pattern, e.g. "GET /v1/conversation/:id" (or the raw URL without a route). */
  route: string;
  status: number;
  /** Where in the body: `$` for the body itself, `entries[0].event_data.assigned`. */
  path: string;
  problem: string;
}

/** Control-plane fields documented as null in spec/control-plane.md (not API objects). */
const NULL_IS_CONTRACT: Array<{ route: RegExp; path: RegExp; why: string }> = [
  { route: /^[A-Z]+ \/__mock\/faults/, path: /^(\$\[\d+\]|\$)\.(status|delay_ms|times|remaining)$/, why: 'fault rule: null = no status / no delay / no limit' },
  { route: /^POST \/__mock\/inbound$/, path: /^\$\.(message_id|conversation_id|contact_id)$/, why: 'inbound result: ids null when the contact is blocked' },
  { route: /^GET \/__mock\/outbox/, path: /^\$(\.entries\[\d+\])?\.segments$/, why: 'outbox entry: segments null for email' },
  { route: /^POST \/__mock\/reset$/, path: /^\$\.team$/, why: 'reset answer: team null for a whole reset' },
];

const optChange = z.object({ id: z.number().int(), phone: z.string(), inbox_id: z.number().int(), unsubscribed: z.boolean(), blocked: z.boolean(), date: z.string() });

/** event_data by event type: exactly the API object a webhook carries. */
const EVENT_DATA: Record<string, z.ZodType> = {
  message_sent: message,
  message_recieved: message,
  chat_opened: conversation,
  chat_closed: conversation,
  chat_reassigned: conversation,
  chat_transferred: conversation,
  target_opt_out: optChange,
  target_opt_in: optChange,
};

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

/**
 * Every path in `value` holding `null` where `schema` has a number (through optional, nullable,
 * default, pipes, lazies, arrays, objects, records, tuples, unions and intersections). A union
 * counts as satisfied when one of the options the value fits finds nothing.
 */
export function nullNumbers(schema: z.ZodType, value: unknown, path = '$'): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'number':
      return value === null ? [path] : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return nullNumbers(def.innerType as z.ZodType, value, path);
    case 'lazy':
      return nullNumbers((def.getter as () => z.ZodType)(), value, path);
    case 'pipe': {
      // Responses are encoded (fastify-type-provider-zod): the JSON is the pipe's input side.
      const side = defOf(def.in).type === 'transform' ? def.out : def.in;
      return nullNumbers(side as z.ZodType, value, path);
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => nullNumbers(def.element as z.ZodType, v, `${path}[${i}]`)) : [];
    case 'tuple':
      return Array.isArray(value) ? (def.items as z.ZodType[]).flatMap((s, i) => nullNumbers(s, value[i], `${path}[${i}]`)) : [];
    case 'object': {
      if (!isObject(value)) return [];
      const shape = def.shape as Record<string, z.ZodType>;
      const catchall = def.catchall as z.ZodType | undefined;
      return Object.entries(value).flatMap(([k, v]) => {
        const s = Object.hasOwn(shape, k) ? shape[k] : catchall;
        return s ? nullNumbers(s, v, `${path}.${k}`) : [];
      });
    }
    case 'record':
      return isObject(value) ? Object.entries(value).flatMap(([k, v]) => nullNumbers(def.valueType as z.ZodType, v, `${path}.${k}`)) : [];
    case 'union': {
      const options = def.options as z.ZodType[];
      if (value === null) {
        // A bare null: wrong where an option is a number, unless another option is z.null().
        return options.some((o) => defOf(o).type === 'null') || !options.some((o) => nullNumbers(o, null, path).length) ? [] : [path];
      }
      // Judged by the options the value is (options of another kind find nothing in it).
      const fitting = options.filter((o) => o.safeParse(value).success);
      let fewest: string[] | undefined;
      for (const option of fitting.length ? fitting : options) {
        const found = nullNumbers(option, value, path);
        if (!found.length) return [];
        if (!fewest || found.length < fewest.length) fewest = found;
      }
      return fewest ?? [];
    }
    case 'intersection':
      return [...nullNumbers(def.left as z.ZodType, value, path), ...nullNumbers(def.right as z.ZodType, value, path)];
    default:
      return [];
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The response schema a route declares for `status` (exact, then 4xx-style, then default). */
function responseSchema(request: FastifyRequest, status: number): z.ZodType | undefined {
  const response = (request.routeOptions.schema as { response?: Record<string, unknown> } | undefined)?.response;
  if (!response) return undefined;
  const s = response[status] ?? response[String(status)] ?? response[`${Math.floor(status / 100)}xx`] ?? response.default;
  return s && typeof s === 'object' && '_zod' in s ? (s as z.ZodType) : undefined;
}

/** Checks one answer; returns what is wrong with it. */
export function checkAnswer(route: string, status: number, schema: z.ZodType | undefined, body: unknown): Violation[] {
  const out: Violation[] = [];
  const add = (path: string, problem: string) => out.push({ route, status, path, problem });
  if (schema) {
    for (const path of nullNumbers(schema, body)) {
      if (!NULL_IS_CONTRACT.some((e) => e.route.test(route) && e.path.test(path))) add(path, 'null where the response schema types an integer (answer 0 for an unset integer)');
    }
  }
  if (route === 'GET /__mock/events' && isObject(body) && Array.isArray(body.entries)) {
    body.entries.forEach((e: unknown, i) => {
      if (!isObject(e)) return;
      const s = EVENT_DATA[String(e.type)];
      if (!s) return add(`$.entries[${i}].type`, `unknown event type ${JSON.stringify(e.type)}`);
      for (const path of nullNumbers(s, e.event_data, `$.entries[${i}].event_data`)) add(path, `null where the ${String(e.type)} event_data types an integer`);
    });
  }
  if (status < 300 && /^POST \/(v1\/batch\/contacts|v2\/contacts)$/.test(route) && JSON.stringify(body).includes(INTERNAL_ITEM_FAILURE)) {
    add('$', `a batch item failed inside the mock ("${INTERNAL_ITEM_FAILURE}"): a bug or a storage error, logged with its stack`);
  }
  if (status >= 400) {
    if (!isObject(body)) {
      add('$', 'an error body must be a JSON object with error_code');
    } else {
      if (!isKnownErrorCode(body.error_code)) add('$.error_code', `${JSON.stringify(body.error_code)} is not in ERROR_CODES (src/core/error-codes.ts)`);
      if (Array.isArray(body.errors)) {
        body.errors.forEach((p: unknown, i) => {
          if (!isObject(p) || !isKnownErrorCode(p.error_code)) add(`$.errors[${i}].error_code`, `${JSON.stringify(isObject(p) ? p.error_code : p)} is not in ERROR_CODES`);
        });
      }
    }
  }
  return out;
}

function text(payload: unknown): string | undefined {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return undefined; // a stream (the /docs assets) or no body
}

/** Collects the violations of one app's answers. */
export class ResponseCheck {
  private found: Violation[] = [];

  install(app: FastifyInstance) {
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      this.inspect(request, reply, payload);
      return payload;
    });
  }

  private inspect(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    if ((request as unknown as Record<symbol, unknown>)[FAULT_ANSWER] !== undefined) return; // a fault rule's own answer
    const status = reply.statusCode;
    const type = String(reply.getHeader('content-type') ?? '');
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    const raw = text(payload);
    if (status >= 400 && !type.includes('json')) {
      this.found.push({ route, status, path: '$', problem: `an error answered with Content-Type ${type || '(none)'}, not the JSON error shape` });
      return;
    }
    if (raw === undefined || raw === '' || !type.includes('json')) return;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      this.found.push({ route, status, path: '$', problem: 'the body is not valid JSON' });
      return;
    }
    this.found.push(...checkAnswer(route, status, responseSchema(request, status), body));
  }

  /** An answer that failed its route's response schema (the app sent it as built and logged a bug). */
  serializeFailed(failure: { method: string; url: string; error: unknown }) {
    const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
    this.found.push({ route: `${failure.method} ${failure.url}`, status: 0, path: '$', problem: `the answer does not match its response schema: ${message.slice(0, 500)}` });
  }

  /** Every violation so far, and forgets them (a test that provokes one on purpose takes it). */
  take(): Violation[] {
    const all = this.found;
    this.found = [];
    return all;
  }
}

export function describeViolations(vs: Violation[]): string {
  return vs.map((v) => `  ${v.route} → ${v.status} at ${v.path}: ${v.problem}`).join('\n');
}
