import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { compilePattern, matchPath, patternProblem } from '../../src/mock/faults/pattern.js';
import { drawFraction, FaultRules } from '../../src/mock/faults/store.js';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectApiError, expectRejected, startApp, storeSnapshot, type TestApp } from '../support/app.js';

const AUTH1 = `Bearer ${DEFAULT_API_KEY}`;
const AUTH2 = `Bearer ${TEAM2.apiKey}`;

const addRule = async (t: TestApp, rule: object, auth = AUTH1) => {
  const res = await t.http.post('/__mock/faults').set('Authorization', auth).send(rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; remaining: number | null; hits: number; seed: number | string };
};
const rules = async (t: TestApp, auth = AUTH1) => {
  const res = await t.http.get('/__mock/faults').set('Authorization', auth);
  expect(res.status).toBe(200);
  return res.body as Array<{ id: number; remaining: number | null; hits: number }>;
};

type RawResult = { status: number; body: string } | { error: NodeJS.ErrnoException };

/** One request on its own connection with node:http: a response, or the socket error. */
function raw(t: TestApp, method: string, path: string, body?: string): Promise<RawResult> {
  const { port } = t.app.server.address() as AddressInfo;
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers: { Authorization: AUTH1, ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', (error) => resolve({ error }));
    });
    req.on('error', (error) => resolve({ error }));
    req.end(body);
  });
}

describe('fault path patterns (pure)', () => {
  const m = (pattern: string, path: string) => matchPath(compilePattern(pattern), path);

  it('an exact path matches itself only', () => {
    expect(m('/v1/inboxes', '/v1/inboxes')).toBe(true);
    expect(m('/v1/inboxes', '/v1/inboxes/')).toBe(false);
    expect(m('/v1/inboxes', '/v1/inbox')).toBe(false);
    expect(m('/v1/inboxes', '/v1/inboxes/1')).toBe(false);
    expect(m('/v1/contact/12', '/v1/contact/12')).toBe(true);
    expect(m('/v1/contact/12', '/v1/contact/120')).toBe(false);
    expect(m('/v1/Inboxes', '/v1/inboxes')).toBe(false);
  });

  it("'*' matches exactly one non-empty segment", () => {
    expect(m('/v1/contact/*', '/v1/contact/12')).toBe(true);
    expect(m('/v1/contact/*', '/v1/contact/get')).toBe(true);
    expect(m('/v1/contact/*', '/v1/contact')).toBe(false);
    expect(m('/v1/contact/*', '/v1/contact/')).toBe(false);
    expect(m('/v1/contact/*', '/v1/contact/12/tags')).toBe(false);
    expect(m('/v1/contact/*', '/v1/contacts')).toBe(false);
    expect(m('/v2/contact/*/channel', '/v2/contact/ab/channel')).toBe(true);
    expect(m('/v2/contact/*/channel', '/v2/contact/ab/cd/channel')).toBe(false);
    expect(m('/*/inboxes', '/v1/inboxes')).toBe(true);
  });

  it("'**' matches any number of segments, none included", () => {
    expect(m('/v2/**', '/v2')).toBe(true);
    expect(m('/v2/**', '/v2/contacts')).toBe(true);
    expect(m('/v2/**', '/v2/contact/ab/channel/sms')).toBe(true);
    expect(m('/v2/**', '/v1/contacts')).toBe(false);
    expect(m('/v2/**', '/v20/contacts')).toBe(false);
    expect(m('/**', '/v1/inboxes')).toBe(true);
    expect(m('/**/channel', '/v2/contact/ab/channel')).toBe(true);
    expect(m('/**/channel', '/v2/contact/ab/channels')).toBe(false);
    expect(m('/v2/**/channel/*', '/v2/contact/ab/channel/sms')).toBe(true);
    expect(m('/v2/**/**/channel/*', '/v2/channel/sms')).toBe(true);
    expect(m('/v2/**/channel/*', '/v2/contact/ab/channel')).toBe(false);
  });

  it('refuses what is not a usable pattern, saying why', () => {
    expect(patternProblem('/v1/contact/*')).toBeUndefined();
    expect(patternProblem('/')).toBeUndefined();
    expect(patternProblem('v1/contact')).toMatch(/absolute path/);
    expect(patternProblem('/v1/contact?id=1')).toMatch(/query string/);
    expect(patternProblem('/v1/contact*')).toMatch(/whole path segments/);
    expect(patternProblem('/v1/***')).toMatch(/whole path segments/);
    expect(patternProblem('/__mock/clock')).toMatch(/never apply to \/__mock/);
    expect(patternProblem('/__mock')).toMatch(/never apply to \/__mock/);
  });

  it('rules are tried in order; a spent or non-matching rule lets the next one answer; the method filter holds', () => {
    const store = new FaultRules();
    const a = store.add(1, { path: '/v1/tag', method: 'post', status: 500, times: 1, hasBody: false }, 'now');
    const b = store.add(1, { path: '/v1/*', status: 503, hasBody: false }, 'now');
    expect(a.method).toBe('POST');
    expect(store.decide(1, 'POST', '/v1/tag')?.id).toBe(a.id);
    expect(store.decide(1, 'POST', '/v1/tag')?.id).toBe(b.id);
    expect(store.decide(1, 'GET', '/v1/tag')?.id).toBe(b.id);
    expect(store.decide(1, 'GET', '/v1/tag/1')).toBeUndefined();
    expect(store.decide(2, 'GET', '/v1/tag')).toBeUndefined();
    expect([a.hits, a.remaining, b.hits, b.remaining]).toEqual([1, 0, 2, null]);
  });

  it('draws depend only on the seed and the draw number', () => {
    const seq = (seed: string | number) => Array.from({ length: 16 }, (_, n) => drawFraction(seed, n));
    expect(seq(42)).toEqual(seq(42));
    expect(seq(42)).not.toEqual(seq(43));
    for (const u of seq('abc')) expect(u >= 0 && u < 1).toBe(true);
  });
});

describe('/__mock/faults routes', () => {
  it('POST answers 201 with the rule, GET lists the team\'s rules, DELETE removes one or all (204)', async () => {
    const t = await startApp();
    const res = await t.http.post('/__mock/faults').set('Authorization', AUTH1).send({ method: 'get', path: '/v1/contact/*', status: 503, times: 2, probability: 0.25, seed: 'abc' });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({
      id: 1,
      method: 'GET',
      path: '/v1/contact/*',
      status: 503,
      headers: {},
      delay_ms: null,
      drop: false,
      times: 2,
      remaining: 2,
      probability: 0.25,
      seed: 'abc',
      hits: 0,
      created: '2026-01-15T12:00:00.000Z',
    });
    const second = await addRule(t, { path: '/v2/**', delay_ms: 10 });
    expect(second).toMatchObject({ id: 2, method: null, status: null, delay_ms: 10, times: null, remaining: null, probability: 1, seed: expect.any(Number) });
    expect(second).not.toHaveProperty('body');
    expect(await addRule(t, { path: '/v1/tag', status: 500, body: null })).toMatchObject({ id: 3, body: null });
    expect((await rules(t)).map((r) => r.id)).toEqual([1, 2, 3]);

    const del = await t.http.delete('/__mock/faults/2').set('Authorization', AUTH1);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await rules(t)).map((r) => r.id)).toEqual([1, 3]);
    expectApiError(await t.http.delete('/__mock/faults/2').set('Authorization', AUTH1), 404, 'not_found', 'id');
    expectApiError(await t.http.delete('/__mock/faults/abc').set('Authorization', AUTH1), 400, 'bad_data', 'id');

    expect((await t.http.delete('/__mock/faults').set('Authorization', AUTH1)).status).toBe(204);
    expect(await rules(t)).toEqual([]);
  });

  it('needs team credentials (401 without)', async () => {
    const t = await startApp();
    expectApiError(await t.http.get('/__mock/faults'), 401, 'unauthorized');
    expectApiError(await t.http.post('/__mock/faults').send({ path: '/v1/tag', status: 500 }), 401, 'unauthorized');
    expectApiError(await t.http.delete('/__mock/faults'), 401, 'unauthorized');
  });

  it('refuses every invalid rule with a 400 naming the field, storing nothing', async () => {
    const t = await startApp();
    await addRule(t, { path: '/v1/inboxes', status: 500 });
    const before = await rules(t);
    const p = '/v1/inboxes';
    const cases: Array<[unknown, string | undefined]> = [
      [{}, 'path'],
      [{ status: 500 }, 'path'],
      [{ path: 5, status: 500 }, 'path'],
      [{ path: 'v1/inboxes', status: 500 }, 'path'],
      [{ path: '/v1/contact*', status: 500 }, 'path'],
      [{ path: '/v1/inboxes?x=1', status: 500 }, 'path'],
      [{ path: '/__mock/clock', status: 500 }, 'path'],
      [{ path: `/${'a'.repeat(1001)}`, status: 500 }, 'path'],
      [{ path: p, method: 'FETCH', status: 500 }, 'method'],
      [{ path: p, method: 1, status: 500 }, 'method'],
      [{ path: p }, 'status'],
      [{ path: p, drop: false }, 'status'],
      [{ path: p, status: 399 }, 'status'],
      [{ path: p, status: 600 }, 'status'],
      [{ path: p, status: 500.5 }, 'status'],
      [{ path: p, status: '500' }, 'status'],
      [{ path: p, status: 500, drop: true }, 'drop'],
      [{ path: p, drop: 'yes' }, 'drop'],
      [{ path: p, delay_ms: -1 }, 'delay_ms'],
      [{ path: p, delay_ms: 60_001 }, 'delay_ms'],
      [{ path: p, delay_ms: 'soon' }, 'delay_ms'],
      [{ path: p, delay_ms: 5, body: { a: 1 } }, 'body'],
      [{ path: p, drop: true, body: 'x' }, 'body'],
      [{ path: p, status: 500, body: 'x'.repeat(70_000) }, 'body'],
      [{ path: p, delay_ms: 5, headers: { 'X-A': 'b' } }, 'headers'],
      [{ path: p, status: 500, headers: 'X-A: b' }, 'headers'],
      [{ path: p, status: 500, headers: { 'X-A': 5 } }, 'headers.X-A'],
      [{ path: p, status: 500, headers: { 'Bad Name': 'x' } }, 'headers.Bad Name'],
      [{ path: p, status: 500, headers: { 'X-A': 'a\r\nSet-Cookie: x=1' } }, 'headers.X-A'],
      [{ path: p, status: 500, headers: { 'Content-Length': '5' } }, 'headers.Content-Length'],
      [{ path: p, status: 500, headers: { 'X-Request-Id': 'mine' } }, 'headers.X-Request-Id'],
      [{ path: p, status: 500, times: 0 }, 'times'],
      [{ path: p, status: 500, times: 1.5 }, 'times'],
      [{ path: p, status: 500, probability: 1.5 }, 'probability'],
      [{ path: p, status: 500, probability: -0.1 }, 'probability'],
      [{ path: p, status: 500, seed: { a: 1 } }, 'seed'],
      [{ path: p, status: 500, seed: '' }, 'seed'],
      [{ path: p, status: 500, seed: -1 }, 'seed'],
      [{ path: p, status: 500, when: 'always' }, undefined],
      [[], undefined],
    ];
    for (const [body, field] of cases) {
      const res = await expectRejected(t, () => t.http.post('/__mock/faults').set('Authorization', AUTH1).send(body as object), 400, 'bad_data', field ?? null);
      expect(res.body.message, JSON.stringify(body)).toBeTruthy();
    }
    const badJson = await t.http.post('/__mock/faults').set('Authorization', AUTH1).set('Content-Type', 'application/json').send('{"path": ');
    expectApiError(badJson, 400, 'bad_data');
    expect(await rules(t)).toEqual(before);
  });

  it('a team holds at most 100 rules', async () => {
    const t = await startApp();
    for (let i = 0; i < 100; i++) await addRule(t, { path: `/v1/tag/${i + 1}`, status: 500 });
    const res = await t.http.post('/__mock/faults').set('Authorization', AUTH1).send({ path: '/v1/tag', status: 500 });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('fault_limit');
    expect((await rules(t)).length).toBe(100);
  });
});

describe('fault rules applied to the API', () => {
  it('times: 3 answers exactly the next three matching requests, then the real answer; the spent rule stays listed', async () => {
    const t = await startApp();
    const rule = await addRule(t, { method: 'GET', path: '/v1/inboxes', status: 503, times: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
    const real = await t.http.get('/v1/inboxes').set('Authorization', AUTH1);
    expect(real.body.map((i: { id: number }) => i.id)).toEqual([10, 11, 12]);
    expect(await rules(t)).toEqual([expect.objectContaining({ id: rule.id, times: 3, remaining: 0, hits: 3 })]);
  });

  it('the same seed with probability 0.5 gives the same hit/miss sequence in two fresh apps', async () => {
    const run = async (seed: number) => {
      const t = await startApp();
      await addRule(t, { method: 'GET', path: '/v1/inboxes', status: 503, probability: 0.5, seed });
      const hits: boolean[] = [];
      for (let i = 0; i < 32; i++) hits.push((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status === 503);
      const [listed] = await rules(t);
      expect(listed!.hits).toBe(hits.filter(Boolean).length);
      await t.app.close();
      return hits;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
    // Exactly the documented draw: sha256("<seed>:<n>") as a fraction, below the probability.
    expect(first).toEqual(Array.from({ length: 32 }, (_, n) => drawFraction(42, n) < 0.5));
    expect(await run(7)).not.toEqual(first);
  });

  it('a faulted POST /v1/contact writes nothing and answers the configured status, body and headers', async () => {
    const t = await startApp();
    await addRule(t, { method: 'POST', path: '/v1/contact', status: 502, body: { upstream: 'down', retry: true }, headers: { 'X-Fault': 'yes', 'Cache-Control': 'no-store' } });
    const before = storeSnapshot(t);
    const res = await t.http.post('/v1/contact').set('Authorization', AUTH1).send({ phone: '14155551234' });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ upstream: 'down', retry: true });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-fault']).toBe('yes');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // The hook runs before the body is read: even a malformed body gets the fault, not a 400.
    const malformed = await t.http.post('/v1/contact').set('Authorization', AUTH1).set('Content-Type', 'application/json').send('{"phone": ');
    expect(malformed.status).toBe(502);
    expect(storeSnapshot(t)).toEqual(before);
    expect((await rules(t))[0]!.hits).toBe(2);
  });

  it('without body the answer is the mock\'s error shape with error_code injected_fault; a string body with its own Content-Type is sent as-is', async () => {
    const t = await startApp();
    await addRule(t, { method: 'POST', path: '/v1/tag', status: 500 });
    await addRule(t, { method: 'GET', path: '/v1/team', status: 503, body: '<html>Service Unavailable</html>', headers: { 'Content-Type': 'text/html' } });
    await addRule(t, { method: 'GET', path: '/v1/inboxes', status: 400, body: 'plain' });
    await expectRejected(t, () => t.http.post('/v1/tag').set('Authorization', AUTH1).send({ tag: 'VIP' }), 500, 'server_error', null).then((res) => {
      expect((res.body as unknown as { error_code: string }).error_code).toBe('injected_fault');
    });
    const html = await t.http.get('/v1/team').set('Authorization', AUTH1);
    expect(html.status).toBe(503);
    expect(html.headers['content-type']).toBe('text/html');
    expect(html.text).toBe('<html>Service Unavailable</html>');
    const str = await t.http.get('/v1/inboxes').set('Authorization', AUTH1);
    expect(str.status).toBe(400);
    expect(str.body).toBe('plain'); // a JSON string
  });

  it('a 429 fault carries Retry-After: 1, or the one given in headers', async () => {
    const t = await startApp();
    await addRule(t, { method: 'GET', path: '/v1/inboxes', status: 429, times: 1 });
    await addRule(t, { method: 'GET', path: '/v1/inboxes', status: 429, headers: { 'retry-after': '7' }, body: { slow: 'down' } });
    const first = await t.http.get('/v1/inboxes').set('Authorization', AUTH1);
    expectApiError(first, 429, 'rate_limited');
    expect(first.body.error_code).toBe('injected_fault');
    expect(first.headers['retry-after']).toBe('1');
    const second = await t.http.get('/v1/inboxes').set('Authorization', AUTH1);
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('7');
    expect(second.body).toEqual({ slow: 'down' });
  });

  it('drop closes the connection with no answer (socket hang up), and the dropped POST writes nothing', async () => {
    const t = await startApp();
    await addRule(t, { method: 'POST', path: '/v1/contact', drop: true });
    const before = storeSnapshot(t);
    const res = await raw(t, 'POST', '/v1/contact', JSON.stringify({ phone: '14155551234' }));
    expect('error' in res, JSON.stringify(res)).toBe(true);
    const error = (res as { error: NodeJS.ErrnoException }).error;
    expect(error.code).toBe('ECONNRESET');
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    expect(storeSnapshot(t)).toEqual(before);
    // The server keeps serving: the next request (GET) is answered.
    expect(await raw(t, 'GET', '/v1/inboxes')).toMatchObject({ status: 200 });
    expect((await rules(t))[0]!.hits).toBe(1);
  });

  it('delay-only answers as usual after the delay, without holding up other requests', async () => {
    const t = await startApp();
    await addRule(t, { method: 'POST', path: '/v1/contact', delay_ms: 500 });
    const events: string[] = [];
    const delayed = raw(t, 'POST', '/v1/contact', JSON.stringify({ phone: '14155551234' })).then((r) => {
      events.push('delayed answered');
      return r;
    });
    // Wait until the delayed request has been matched: the server answers while it waits.
    while ((await rules(t))[0]!.hits === 0) await new Promise((r) => setTimeout(r, 5));
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status).toBe(200);
    events.push('other answered');
    const res = await delayed;
    expect(events).toEqual(['other answered', 'delayed answered']);
    expect(res).toMatchObject({ status: 200 });
    // The normal answer of POST /v1/contact, and the contact is stored.
    expect(JSON.parse((res as { body: string }).body)).toEqual({ id: 1, rev: 1, uuid: expect.any(String) });
    expect(t.sql('SELECT phone FROM contacts WHERE phone = ?', '14155551234')).toHaveLength(1);
  });

  it('delay with status waits, then answers the status', async () => {
    const t = await startApp();
    await addRule(t, { method: 'GET', path: '/v1/inboxes', delay_ms: 20, status: 504 });
    expectApiError(await t.http.get('/v1/inboxes').set('Authorization', AUTH1), 504, 'server_error');
  });

  it("patterns over HTTP: exact path (query ignored), '*' one segment, '**' any depth, method filter", async () => {
    const t = await startApp();
    const get = (path: string) => t.http.get(path).set('Authorization', AUTH1);
    await addRule(t, { method: 'GET', path: '/v1/inboxes', status: 418 });
    expect((await get('/v1/inboxes?x=1')).status).toBe(418);
    expect((await t.http.head('/v1/inboxes').set('Authorization', AUTH1)).status).toBe(200);
    await t.http.delete('/__mock/faults').set('Authorization', AUTH1);

    await addRule(t, { method: 'GET', path: '/v1/contact/*', status: 418 });
    expect((await get('/v1/contact/1')).status).toBe(418);
    expect((await get('/v1/contact/999')).status).toBe(418);
    expect((await get('/v1/inboxes')).status).toBe(200);
    expect((await t.http.post('/v1/contact').set('Authorization', AUTH1).send({ phone: '14155551234' })).status).toBe(200);
    expect((await t.http.post('/v1/contact/get').set('Authorization', AUTH1).send({ phone: '14155551234' })).status).not.toBe(418);
    expect((await get('/v2/contact/00000000-0000-4000-8000-000000000001/channels')).status).not.toBe(418);
    await t.http.delete('/__mock/faults').set('Authorization', AUTH1);

    await addRule(t, { path: '/v2/**', status: 418 });
    expect((await get('/v2/contact/00000000-0000-4000-8000-000000000001/channels')).status).toBe(418);
    expect((await t.http.post('/v2/contacts/search').set('Authorization', AUTH1).send({})).status).toBe(418);
    expect((await get('/v1/inboxes')).status).toBe(200);
    expect((await get('/v1/team')).status).toBe(200);
    expect((await rules(t))[0]!.hits).toBe(2);
  });

  it("team B's rules never affect team A's requests", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    await addRule(t, { path: '/**', status: 503 }, AUTH2);
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status).toBe(200);
    expect((await t.http.post('/v1/tag').set('Authorization', AUTH1).send({ tag: 'VIP' })).status).toBe(200);
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH2)).status).toBe(503);
    expect(await rules(t, AUTH1)).toEqual([]);
    const [theirs] = await rules(t, AUTH2);
    expect(theirs!.hits).toBe(1);
    expectApiError(await t.http.delete(`/__mock/faults/${theirs!.id}`).set('Authorization', AUTH1), 404, 'not_found');
    expect((await t.http.delete('/__mock/faults').set('Authorization', AUTH1)).status).toBe(204);
    expect(await rules(t, AUTH2)).toHaveLength(1);
  });

  it('/__mock/* is never faulted', async () => {
    const t = await startApp();
    await addRule(t, { path: '/**', status: 503 });
    await addRule(t, { path: '/*/clock', drop: true });
    expect((await t.http.get('/__mock/clock').set('Authorization', AUTH1)).status).toBe(200);
    expect((await t.http.get('/__mock/faults').set('Authorization', AUTH1)).status).toBe(200);
    expect((await t.http.get('/__mock/health')).status).toBe(200);
    expect((await rules(t)).map((r) => r.hits)).toEqual([0, 0]);
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status).toBe(503);
  });

  it('the rate limit applies first: faulted requests count toward it', async () => {
    const t = await startApp({ rateLimit: 2 });
    await addRule(t, { method: 'GET', path: '/v1/inboxes', status: 503 });
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status).toBe(503);
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status).toBe(503);
    const limited = await t.http.get('/v1/inboxes').set('Authorization', AUTH1);
    expectApiError(limited, 429, 'rate_limited');
    expect(limited.body.error_code).toBe('rate_limited');
    expect((await rules(t))[0]!.hits).toBe(2);
  });

  it('a team reset clears that team\'s rules only; a whole reset clears every team\'s', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    await addRule(t, { path: '/v1/inboxes', status: 503 });
    await addRule(t, { path: '/v1/inboxes', status: 503 }, AUTH2);
    expect((await t.http.post('/__mock/reset').set('Authorization', AUTH1)).status).toBe(200);
    expect(await rules(t)).toEqual([]);
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH1)).status).toBe(200);
    expect(await rules(t, AUTH2)).toHaveLength(1);
    expect((await t.http.post('/__mock/reset?team=2')).status).toBe(200);
    expect(await rules(t, AUTH2)).toEqual([]);
    await addRule(t, { path: '/v1/inboxes', status: 503 }, AUTH2);
    expect((await t.http.post('/__mock/reset')).status).toBe(200);
    expect(await rules(t, AUTH2)).toEqual([]);
    expect((await addRule(t, { path: '/v1/inboxes', status: 503 })).id).toBe(1);
  });
});
