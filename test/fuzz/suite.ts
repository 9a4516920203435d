import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { SequentialIds } from '../../src/core/ids.js';
import { GROUPS as API_GROUPS } from '../http/no-500/fuzz.js';
import { ManualWall, mintToken, startApp, storeSnapshot, T0, type TestApp } from '../support/app.js';
import { fuzzed, requestPart, shapeOf, type Pools } from './arbitrary.js';
import { EXAMPLES, type Example, type Known } from './examples.js';
import { INTERNAL_ITEM_FAILURE } from '../../src/resources/contacts/service.js';
import { routeCatalog, type Route } from './catalog.js';
import { excluded } from './known-defects.js';

// Property-based fuzzing of every route (shared by the files of test/fuzz and test/stress; not a
// test file itself). Each route gets requests generated from its own zod schemas (body, query,
// path), sent in-process with app.inject to an app holding a small fixture store. Properties:
// - never a 5xx, always a JSON answer;
// - never a hang: each request must answer within REQUEST_TIMEOUT_MS;
// - a refused request (4xx) leaves every row of every table as it was (storeSnapshot).
// Accepted requests that have a read-back are checked for exact round trips in round-trip.test.ts.
//
// FUZZ_RUNS: generated requests per `npm test` run over all routes (default 10 000, split evenly);
// FUZZ_SEED: the seed (default: random, printed on failure). The app's ids and clocks are
// deterministic, so one seed replays the same requests against the same store.

export const GROUPS = { ...API_GROUPS, mock: ['__mock'] } as const;
export type Group = keyof typeof GROUPS;

const REQUEST_TIMEOUT_MS = 5_000;
const envInt = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
export const fuzzSeed = envInt('FUZZ_SEED') ?? (Date.now() ^ (process.pid << 8)) | 0;

const groupOf = (url: string) => url.split('/')[url.startsWith('/__mock') ? 1 : 2]!;

/** The routes of the app, once per file. */
let catalog: Promise<Route[]> | undefined;
export const routes = async (): Promise<Route[]> => (catalog ??= startApp().then((t) => routeCatalog(t.app)));

/** One app per test file: every route starts from a reset store with the same fixture rows. */
let shared: Promise<{ t: TestApp; auth: string }> | undefined;

const ID_TABLES = ['contacts', 'tags', 'contact_fields', 'templates', 'lists', 'messages', 'conversations', 'schedules', 'surveys', 'inboxes', 'members', 'teams'];

/** Like startApp (frozen clocks, sequential ids), but kept for the whole file instead of closed after each test. */
async function longLivedApp(): Promise<{ t: TestApp; auth: string }> {
  const wall = new ManualWall();
  // No failed-authentication limit: the wall clock is frozen, so its minute would never end and,
  // after 100 requests sent without credentials, every later route would see only 429s.
  const app = await buildApp(testConfig({ rateLimit: 0, authFailLimit: 0 }), { ids: new SequentialIds(), wall: wall.now, clockStart: { frozenAt: T0 }, tickMs: 3_600_000, wakeRunner: false });
  afterAll(() => app.close());
  const sql = <T>(query: string, ...params: unknown[]) => app.mock.db.$client.prepare(query).all(...params) as T[];
  const t = { app, sql } as unknown as TestApp;
  return { t, auth: `Bearer ${await mintToken({ iat: Math.floor(wall.now() / 1000) })}` };
}

/** A fixture store: a few rows of each kind, and the pools of values that name them. */
async function fixture(): Promise<{ t: TestApp; auth: string; pools: Pools; known: Known }> {
  shared ??= longLivedApp();
  const { t, auth } = await shared;
  // Admin reset (no credentials): every team back to its seed state, fault rules dropped.
  const reset = await t.app.inject({ method: 'POST', url: '/__mock/reset' });
  expect(reset.statusCode).toBe(200);
  const send = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: auth } });
  for (const [i, first] of ['Ada', 'Zoë', '李'].entries()) await send('/v1/contact', { phone: `1415555123${i}`, email: `c${i}@example.com`, first });
  await send('/v1/tag', { tag: 'VIP' });
  await send('/v1/contacts/fields', [{ title: 'Plan' }]);
  await send('/v1/template', { title: 'Hello', content: { text: 'Hi {{first}}' } });
  await send('/v2/lists', { title: 'L', local_id: 'l1', phones: ['14155551230', '14155551231'] });
  await send('/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: '14155551230', text: 'hi' });
  await send('/v1/schedule', { inbox_id: 10, execute_at: new Date(Date.UTC(2026, 1, 1)).toISOString(), phone_number: '14155551231', content: { text: 'later' } });
  const ints = ID_TABLES.flatMap((table) => t.sql<{ id: number }>(`SELECT id FROM "${table}" WHERE typeof(id) = 'integer' ORDER BY id DESC LIMIT 3`).map((r) => r.id));
  const uuids = t.sql<{ uuid: string }>('SELECT uuid FROM contacts').map((r) => r.uuid);
  const pools: Pools = {
    ints: [...new Set([1, 2, ...ints])],
    uuids: uuids.length ? uuids : ['00000000-0000-4000-8000-000000000001'],
    phones: ['14155551230', '14155551231', '14155551232'],
    emails: ['c0@example.com', 'c1@example.com'],
    strings: ['VIP', 'Plan', 'Hello', 'L', 'l1', 'sms', 'email', 'open', 'closed', 'opted_in'],
  };
  const one = (query: string) => t.sql<{ id: number }>(query)[0]?.id ?? 1;
  const known: Known = {
    pools,
    contactUuid: pools.uuids[0]!,
    // v1 and v2 lists are one table: the fixture's list serves both surfaces.
    listId: one('SELECT id FROM lists ORDER BY id LIMIT 1'),
    scheduleId: one('SELECT id FROM schedules ORDER BY id LIMIT 1'),
    templateId: one('SELECT id FROM templates ORDER BY id LIMIT 1'),
    conversationId: one("SELECT id FROM conversations WHERE channel = 'sms' ORDER BY id LIMIT 1"),
    messageId: one('SELECT id FROM messages ORDER BY id LIMIT 1'),
  };
  return { t, auth, pools, known };
}

/** The fixture's own rows, for examples.test.ts (the fixture is reset and rebuilt). */
export const fixtureForExamples = fixture;

/** Rows written through the app's connection so far: unchanged means no row was written (rolled-back writes count too, which is stricter). */
const changes = (t: TestApp) => t.sql<{ n: number }>('SELECT total_changes() AS n')[0]!.n;

/** What one generated request is: path, query and body, each from the route's schema. */
interface Req {
  url: string;
  query: Record<string, unknown> | unknown;
  body: unknown;
  auth: boolean;
}

/**
 * Requests built from a route's examples (examples.ts): each example as given, or with some of its
 * top-level fields replaced by generated (and now and then mutated) values, or left out.
 */
function fromExamples(route: Route, examples: Example[], pools: Pools): fc.Arbitrary<Req> {
  const vary = (value: unknown, schema: Route['body']): fc.Arbitrary<unknown> => {
    const shape = schema && shapeOf(schema);
    if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return fc.constant(value);
    const keys = [...new Set([...Object.keys(value), ...Object.keys(shape)])];
    return fc
      .tuple(
        ...keys.map((k) => {
          const given = (value as Record<string, unknown>)[k];
          const generated = shape[k] ? fuzzed(shape[k], pools, k) : fc.constant(undefined);
          return given === undefined
            ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: generated, weight: 1 })
            : fc.oneof({ arbitrary: fc.constant(given), weight: 6 }, { arbitrary: generated, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });
        }),
      )
      .map((vals) => Object.fromEntries(keys.flatMap((k, i) => (vals[i] === undefined ? [] : [[k, vals[i]]]))));
  };
  return fc.constantFrom(...examples).chain((ex) =>
    fc.record({
      url: fc.constant(route.url.replace(/:(\w+)/g, (_, name: string) => String(ex.params?.[name] ?? 1))),
      query: ex.query === undefined ? fc.constant(undefined) : vary(ex.query, route.querystring),
      body: ex.body === undefined ? fc.constant(undefined) : vary(ex.body, route.body),
      auth: fc.constant(true),
    }),
  );
}

function requestArb(route: Route, pools: Pools, known: Known): fc.Arbitrary<Req> {
  const examples = EXAMPLES[`${route.method} ${route.url}`]?.(known);
  const generated = schemaRequestArb(route, pools);
  return examples?.length ? fc.oneof(generated, fromExamples(route, examples, pools)) : generated;
}

function schemaRequestArb(route: Route, pools: Pools): fc.Arbitrary<Req> {
  const odd = fc.constantFrom('0', '-1', '999999', '1e3', 'abc', '%F0%9F%A7%AA', '9'.repeat(30), '00000000-0000-4000-8000-000000000001', ...pools.uuids, ...pools.ints.map(String));
  const good = (name: string) =>
    // A v2 contact path takes a UUID; an integer there is a near miss, drawn now and then.
    /contactID/i.test(name) ? fc.oneof({ arbitrary: fc.constantFrom(...pools.uuids), weight: 4 }, { arbitrary: fc.constantFrom(...pools.ints.map(String)), weight: 1 }) : /type/i.test(name) ? fc.constantFrom('sms', 'email', 'whatsapp') : fc.constantFrom(...pools.ints.map(String));
  const segment = (name: string) => fc.oneof({ arbitrary: good(name), weight: 6 }, { arbitrary: odd, weight: 1 });
  const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return fc.record({
    url: fc.tuple(...names.map(segment)).map((vals) => vals.reduce<string>((u, v, i) => u.replace(`:${names[i]}`, v), route.url)),
    query: route.querystring ? requestPart(route.querystring, pools) : fc.constant(undefined),
    body: route.body ? requestPart(route.body, pools) : fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 }),
    // Now and then without credentials: a 401 must change nothing either.
    auth: fc.oneof({ arbitrary: fc.constant(true), weight: 19 }, { arbitrary: fc.constant(false), weight: 1 }),
  });
}

function queryString(query: unknown): string {
  if (query === undefined || query === null || typeof query !== 'object' || Array.isArray(query)) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    // A held long-poll (`wait`, documented up to 30 s) answers when its time is up, not a hang.
    if (k === 'wait') continue;
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, typeof one === 'object' ? JSON.stringify(one) : String(one));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`no answer within ${ms} ms (hang): ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
};

/** Runs `runs` generated requests against one route; answers how many were sent. */
async function fuzzRoute(route: Route, runs: number, seed: number): Promise<{ sent: number; skipped: number }> {
  const { t, auth, pools, known } = await fixture();
  let sent = 0;
  let skipped = 0;
  const tally = { accepted: 0, refused: 0 };
  const started = performance.now();
  const property = fc.asyncProperty(requestArb(route, pools, known), async (req) => {
    const url = req.url + queryString(req.query);
    const what = `${route.method} ${url} body=${show(req.body)}`;
    if (excluded(route, req)) return void skipped++;
    // Every request: the connection's change count. Every 8th: all rows of all tables as well.
    const full = sent % 8 === 0;
    const before = changes(t);
    const rows = full ? storeSnapshot(t) : undefined;
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { ...(req.auth ? { authorization: auth } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) };
    const res = await withTimeout(t.app.inject({ method: route.method as 'GET', url, payload, headers }), REQUEST_TIMEOUT_MS, what);
    sent++;
    if (res.statusCode < 300) tally.accepted++;
    else tally.refused++;
    if (process.env.FUZZ_STATS === 'why' && res.statusCode >= 400) console.log(`why ${route.method} ${route.url} ${res.statusCode} ${res.body.slice(0, 160)} ⟵ ${show(req.body).slice(0, 160)}`);
    expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
    // A batch reports an item the mock failed on (a bug) per item, in a 200: that counts as a 5xx here.
    expect(res.body.includes(INTERNAL_ITEM_FAILURE), `${what} → ${res.body.slice(0, 300)}`).toBe(false);
    // An answer with a body is JSON (a 204 has none).
    if (res.body !== '') expect(String(res.headers['content-type']), `${what} → not JSON: ${res.body.slice(0, 200)}`).toMatch(/^application\/json/);
    if (res.statusCode >= 400) {
      const why = `${what} → ${res.statusCode} ${res.body.slice(0, 200)} but the store changed`;
      expect(changes(t), why).toBe(before);
      if (rows) expect(storeSnapshot(t), why).toEqual(rows);
    }
  });
  try {
    // Shrinking would replay requests against a store the earlier runs already changed: stop at
    // the first failure and report it with the seed that replays the whole sequence.
    await fc.assert(property, { numRuns: runs, seed, endOnFailure: true });
  } catch (e) {
    const cause = (e as Error).cause instanceof Error ? `\n${((e as Error).cause as Error).message}` : '';
    throw new Error(`${route.method} ${route.url}: property failed; reproduce with FUZZ_SEED=${fuzzSeed}${cause}\n${(e as Error).message}`);
  }
  if (process.env.FUZZ_STATS) console.log(`${route.method} ${route.url}: ${tally.accepted} accepted, ${tally.refused} refused, ${Math.round(performance.now() - started)} ms`);
  return { sent, skipped };
}

/** Seed of one route: the run's seed mixed with the route, so routes do not share a sequence. */
const routeSeed = (r: Route) => [...`${r.method} ${r.url}`].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, fuzzSeed);

/** The fuzz suite of one group: one test per route, `total` requests over all routes of the app. */
export async function fuzzSuite(group: Group, total = envInt('FUZZ_RUNS') ?? 10_000) {
  const all = await routes();
  const mine = all.filter((r) => inGroup(r, group));
  const runs = Math.ceil(total / all.length);
  let sentInAll = 0;
  afterAll(() => console.log(`fuzz (${group}): ${sentInAll} requests sent to ${mine.length} routes (FUZZ_SEED=${fuzzSeed})`));
  describe(`property-based fuzzing (${group}): no 5xx, no hang, a refusal changes nothing`, () => {
    it('the group has routes', () => expect(mine.length).toBeGreaterThan(0));
    it.each(mine.map((r) => [`${r.method} ${r.url}`, r] as const))(
      `%s (${runs} requests)`,
      async (_name, route) => {
        const { sent, skipped } = await fuzzRoute(route, runs, routeSeed(route));
        // Every generated request was sent, but for the documented exclusions of known-defects.ts.
        expect(sent + skipped).toBe(runs);
        expect(skipped).toBeLessThan(runs * 0.1);
        sentInAll += sent;
      },
      600_000,
    );
  });
}

const inGroup = (r: Route, group: Group) => (GROUPS[group] as readonly string[]).includes(groupOf(r.url));

/** The groups together cover every route of the app exactly once, and the run sends at least FUZZ_RUNS requests. */
export async function coverageSuite(total = envInt('FUZZ_RUNS') ?? 10_000) {
  const all = await routes();
  it('the fuzz groups cover every /v1, /v2 and /__mock route exactly once', () => {
    const grouped = Object.values(GROUPS).flat() as string[];
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(all.filter((r) => !grouped.includes(groupOf(r.url))).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(all.length).toBeGreaterThan(90);
    expect(Math.ceil(total / all.length) * all.length).toBeGreaterThanOrEqual(total);
  });
}
