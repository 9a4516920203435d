import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { startApp } from './app.js';
import { badRoutes } from './fixtures/bad-routes.js';
import { checkAnswer, nullNumbers } from './response-check.js';

const AUTH = `Bearer ${DEFAULT_API_KEY}`;
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('nullNumbers: where a null stands for a number', () => {
  it('finds nulls through nullable, optional, default, arrays, records, lazies and pipes', () => {
    const s = z.object({
      a: z.number().int().nullable(),
      b: z.array(z.object({ c: z.number().int().optional() })),
      d: z.record(z.string(), z.number().nullable()),
      e: z.lazy(() => z.object({ f: z.number().int().nullable() })),
      g: z.number().int().default(0),
      h: z.string().nullable(),
      p: z.string().pipe(z.string()),
    });
    const value = { a: null, b: [{ c: 1 }, { c: null }], d: { x: 1, y: null }, e: { f: null }, g: null, h: null, p: null, extra: null };
    expect(nullNumbers(s, value)).toEqual(['$.a', '$.b[1].c', '$.d.y', '$.e.f', '$.g']);
    expect(nullNumbers(s, { a: 0, b: [], d: {}, e: { f: 0 }, g: 0, h: null, p: 'x' })).toEqual([]);
  });

  it('a union is satisfied by any option that finds nothing', () => {
    const s = z.union([z.object({ kind: z.literal('a'), n: z.number().int() }), z.object({ kind: z.literal('b'), s: z.string().nullable() })]);
    expect(nullNumbers(s, { kind: 'b', s: null })).toEqual([]);
    expect(nullNumbers(z.union([z.number().int(), z.literal('ok')]), null)).toEqual(['$']);
    expect(nullNumbers(z.union([z.number().int(), z.null()]), null)).toEqual([]);
  });
});

describe('checkAnswer', () => {
  const api = z.object({ assigned: z.number().int().nullable() });

  it('flags a null integer of an API answer and an error body without a known error_code', () => {
    expect(checkAnswer('GET /v1/x', 200, api, { assigned: null })).toEqual([
      { route: 'GET /v1/x', status: 200, path: '$.assigned', problem: expect.stringMatching(/null where the response schema types an integer/) },
    ]);
    expect(checkAnswer('GET /v1/x', 200, api, { assigned: 0 })).toEqual([]);
    expect(checkAnswer('GET /v1/x', 404, undefined, { error: 'not_found', error_code: 'not_found', message: 'm', errors: [] })).toEqual([]);
    expect(checkAnswer('GET /v1/x', 404, undefined, { error: 'not_found', message: 'm' }).map((v) => v.path)).toEqual(['$.error_code']);
    expect(checkAnswer('GET /v1/x', 400, undefined, ['x']).map((v) => v.path)).toEqual(['$']);
  });

  it("leaves the control plane's documented nulls alone, and only those", () => {
    const inbound = z.object({ message_id: z.number().int().nullable(), other: z.number().int().nullable() });
    expect(checkAnswer('POST /__mock/inbound', 201, inbound, { message_id: null, other: null }).map((v) => v.path)).toEqual(['$.other']);
    expect(checkAnswer('POST /v1/inbound', 201, inbound, { message_id: null, other: 0 }).map((v) => v.path)).toEqual(['$.message_id']);
  });

  it('reads event_data as the API object of its type', () => {
    const body = { entries: [{ id: 1, type: 'chat_opened', created: '', event_data: { assigned: null, members: [] } }], last_id: 1 };
    expect(checkAnswer('GET /__mock/events', 200, z.object({}), body).map((v) => v.path)).toEqual(['$.entries[0].event_data.assigned']);
  });
});

describe('the check over startApp', () => {
  it('records every kind of violation, with route, status and path', async () => {
    const t = await startApp({}, { configure: badRoutes });
    await t.http.get('/test/null-int').expect(200);
    await t.http.get('/test/unknown-code').expect(400);
    await t.http.get('/test/no-code').expect(409);
    await t.http.get('/test/plain-error').expect(500);
    expect(t.takeViolations().map((v) => `${v.route} ${v.status} ${v.path}`)).toEqual([
      'GET /test/null-int 200 $.n',
      'GET /test/null-int 200 $.list[1].m',
      'GET /test/unknown-code 400 $.error_code',
      'GET /test/unknown-code 400 $.errors[0].error_code',
      'GET /test/no-code 409 $.error_code',
      'GET /test/plain-error 500 $',
    ]);
    expect(t.takeViolations()).toEqual([]);
  });

  it("finds a null inside a stored event's data (GET /__mock/events)", async () => {
    const t = await startApp();
    const data = JSON.stringify({ id: 1, phone: '14155551234', inbox_id: null, unsubscribed: true, blocked: false, date: '' });
    t.sql("INSERT INTO events (team_id, type, data, created) VALUES (1, 'target_opt_out', ?, 0) RETURNING id", data);
    await t.http.get('/__mock/events').set('Authorization', AUTH).expect(200);
    expect(t.takeViolations().map((v) => v.path)).toEqual(['$.entries[0].event_data.inbox_id']);
  });

  it("exempts a fault rule's own body, and still checks its default error body", async () => {
    const t = await startApp();
    await t.http.post('/__mock/faults').set('Authorization', AUTH).send({ path: '/v1/team', status: 418, body: { error_code: 'teapot', n: null }, times: 1 }).expect(201);
    await t.http.post('/__mock/faults').set('Authorization', AUTH).send({ path: '/v1/inboxes', status: 503, body: 'down', headers: { 'Content-Type': 'text/plain' }, times: 1 }).expect(201);
    await t.http.post('/__mock/faults').set('Authorization', AUTH).send({ path: '/v1/tags', status: 502, times: 1 }).expect(201);
    expect((await t.http.get('/v1/team').set('Authorization', AUTH)).status).toBe(418);
    expect((await t.http.get('/v1/inboxes').set('Authorization', AUTH)).status).toBe(503);
    const injected = await t.http.post('/v1/tags').set('Authorization', AUTH).send({});
    expect([injected.status, injected.body.error_code]).toEqual([502, 'injected_fault']);
    expect(t.takeViolations()).toEqual([]);
  });

  it('a violation left at the end fails the test (afterEach), one taken does not', async () => {
    // A child vitest runs test/support/fixtures/response-check.fixture.ts with the JSON reporter.
    const run = await promisify(execFile)(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/support/fixtures/vitest.config.ts', '--reporter=json'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect('code' in run ? run.code : 0, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }> };
    const results = report.testResults.flatMap((f) => f.assertionResults).map((r) => ({ title: r.title, status: r.status, failure: r.failureMessages.join('\n') }));
    expect(results).toEqual([
      { title: 'leaves a violation', status: 'failed', failure: expect.stringMatching(/response check: 2 violation\(s\) of the wire contract[^\n]*\s+GET \/test\/null-int → 200 at \$\.n: null where/) },
      { title: 'takes its violation', status: 'passed', failure: '' },
    ]);
  }, 120_000);
});
