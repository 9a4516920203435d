import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';

// Bad input gets a 4xx, never a 500, and a refused request leaves the whole store as it was: every
// documented endpoint is sent junk shaped after its own OpenAPI request body (each property set to
// values of the wrong type), plus junk bodies and ids.

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[] };
type Op = { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: Array<{ in: string; name: string }> };

const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
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

describe('no input produces a 500 or a half-written record', () => {
  it('answers every junk request to every endpoint with a JSON 2xx/4xx, and a 4xx changes nothing', async () => {
    const t = await startApp({ rateLimit: 0 });
    const auth = await t.auth();
    // Some data, so ids in paths and bodies can hit real rows too.
    await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551234', first: 'A' });
    await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'VIP' });
    await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: 10, creator_id: 1, phone_number: '14155551234', text: 'hi' });
    const failures: string[] = [];
    let sent = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/') && !path.startsWith('/v2/')) continue;
      for (const [method, op] of Object.entries(ops)) {
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
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 300_000);
});
