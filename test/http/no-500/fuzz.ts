import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../../support/app.js';

// Shared by the no-500 suites (one file per resource group, one `it` per endpoint, so vitest
// reports each endpoint and runs the groups in parallel; not a test file itself).
// Bad input gets a 4xx, never a 500, and a refused request leaves the whole store as it was: every
// documented endpoint is sent junk shaped after its own OpenAPI request body (each property set to
// values of the wrong type), plus junk bodies and ids.

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[] };
type Op = { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: Array<{ in: string; name: string }> };

const doc = JSON.parse(readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Op>>;
};

const junkValues: unknown[] = [null, -1, 0, 1e308, '', 'x'.repeat(300), '+14155551234', true, [], [null], [{}], {}, { a: [1] }, '2026-13-45T99:99:99Z'];

function bodiesFor(op: Op): unknown[] {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const props = schema?.properties ?? {};
  const out: unknown[] = [undefined, null, [], 'text', 42, {}, [{}], [1, 'a', null]];
  for (const key of Object.keys(props)) for (const v of junkValues) out.push({ [key]: v });
  // Array bodies (batch create, field create): items with each property set to junk.
  for (const key of Object.keys(schema?.items?.properties ?? {})) for (const v of junkValues) out.push([{ [key]: v }]);
  out.push(Object.fromEntries(Object.keys(props).map((k) => [k, 'zz'])));
  out.push(Object.fromEntries(Object.keys(props).map((k) => [k, -5])));
  return out;
}

/** Rows written by this connection so far (rolled-back writes count too, which is stricter). */
const changes = (t: TestApp) => t.sql<{ n: number }>('SELECT total_changes() AS n')[0]!.n;

const pathVariants = (path: string) =>
  ['1', '999999', 'abc', '00000000-0000-4000-8000-000000000001', '0'].map((v) => path.replace(/\{[^}]+\}/g, v));

/** The resource groups: the first path segment after /v1/ or /v2/ names the group of an endpoint. */
export const GROUPS = {
  contacts: ['contact', 'contacts', 'batch', 'contact-fields'],
  messages: ['conversations', 'message', 'messages', 'email'],
  content: ['lists', 'list', 'schedule', 'template', 'templates'],
  team: ['tag', 'tags', 'inboxes', 'team', 'users', 'survey', 'surveys'],
} as const;

export interface Endpoint {
  method: string;
  path: string;
  op: Op;
}

/** Every documented /v1 and /v2 endpoint, in document order. */
export const endpoints: Endpoint[] = Object.entries(doc.paths)
  .filter(([path]) => path.startsWith('/v1/') || path.startsWith('/v2/'))
  .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })));

const groupOf = (path: string) => path.split('/')[2]!;

/** How many junk requests an endpoint gets. */
export const requestCount = (e: Endpoint) => pathVariants(e.path).length * bodiesFor(e.op).length;

/**
 * Sends every junk request to one endpoint, on a fresh app with some data (so ids in paths and
 * bodies can hit real rows too). Answers the failures and how many requests were sent.
 */
async function fuzz({ method, path, op }: Endpoint): Promise<{ failures: string[]; sent: number }> {
  const t = await startApp({ rateLimit: 0 });
  const auth = await t.auth();
  await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551234', first: 'A' });
  await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'VIP' });
  await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: 10, creator_id: 1, phone_number: '14155551234', text: 'hi' });
  const failures: string[] = [];
  let sent = 0;
  for (const url of pathVariants(path)) {
    for (const body of bodiesFor(op)) {
      let req = t.http[method as 'post'](url).set('Authorization', auth);
      if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
      const before = changes(t);
      const res = await req;
      sent++;
      if (res.status >= 400 && changes(t) !== before) {
        failures.push(`${method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 120)} → ${res.status} but the store changed`);
      }
      if (res.status >= 500 || !String(res.headers['content-type']).includes('application/json')) {
        failures.push(`${method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
  }
  return { failures, sent };
}

/** The suite of one group: one test per endpoint of that group. */
export function no500Suite(group: keyof typeof GROUPS) {
  const mine = endpoints.filter((e) => (GROUPS[group] as readonly string[]).includes(groupOf(e.path)));
  describe(`no input produces a 500 or a half-written record (${group})`, () => {
    it('the group has endpoints', () => expect(mine.length).toBeGreaterThan(0));
    it.each(mine.map((e) => [`${e.method.toUpperCase()} ${e.path}`, e] as const))(
      'answers every junk request to %s with a JSON 2xx/4xx, and a 4xx changes nothing',
      async (_name, e) => {
        const { failures, sent } = await fuzz(e);
        expect(sent).toBe(requestCount(e));
        expect(failures).toEqual([]);
      },
      300_000,
    );
  });
}

/** The groups together cover every endpoint, and the whole run still sends over 1000 requests. */
export function coverageSuite() {
  describe('no-500 groups', () => {
    it('cover every documented /v1 and /v2 endpoint exactly once, over 1000 requests in all', () => {
      const grouped = Object.values(GROUPS).flat() as string[];
      expect(new Set(grouped).size).toBe(grouped.length);
      expect(endpoints.filter((e) => !grouped.includes(groupOf(e.path))).map((e) => `${e.method} ${e.path}`)).toEqual([]);
      expect(endpoints.reduce((n, e) => n + requestCount(e), 0)).toBeGreaterThan(1000);
    });
  });
}
