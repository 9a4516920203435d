import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, testConfig, type ConfigInput } from '../../src/config.js';
import type { TeamClock } from '../../src/core/clock.js';
import { SequentialIds } from '../../src/core/ids.js';
import type { RunReport } from '../../src/core/runner.js';
import { describeViolations, ResponseCheck, type Violation } from './response-check.js';

/** 2026-01-15T12:00:00Z: every team's clock starts frozen here, so timestamps are predictable. */
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

/** Real time as the app sees it (JWT windows, rate limits): frozen at the test's start, moved by hand. */
export class ManualWall {
  private at = Date.now();
  now = (): number => this.at;
  advance(ms: number) {
    this.at += ms;
  }
}

export interface TestApp {
  app: FastifyInstance;
  /** Team 1's clock (frozen at T0). */
  clock: TeamClock;
  /** Any team's clock. */
  clockOf: (teamId: number) => TeamClock;
  /** The app's real time. */
  wall: ManualWall;
  /** Runs everything due now by each team's clock (the runner's timer is off in tests). */
  runDue: (teamId?: number) => Promise<RunReport>;
  /** supertest against the real HTTP server (listening on 127.0.0.1, random port). */
  http: ReturnType<typeof request>;
  /** Authorization header value for team 1: a JWT from the default API Secret, iat = the app's real time. */
  auth: () => Promise<string>;
  /** Runs a SQL query against the store directly, to assert stored state. */
  sql: <T = Record<string, unknown>>(query: string, ...params: unknown[]) => T[];
  /**
   * The response check's violations so far (test/support/response-check.ts), taken: a test that
   * provokes one on purpose takes it here; any left over fail the test when it ends.
   */
  takeViolations: () => Violation[];
}

const open: Array<{ app: FastifyInstance; check: ResponseCheck }> = [];
// Closes every app of the test, then fails the test if any answer broke the response check: a
// null where an integer is typed, or an error body without a known error_code.
afterEach(async () => {
  const found: Violation[] = [];
  while (open.length) {
    const { app, check } = open.pop()!;
    await app.close();
    found.push(...check.take());
  }
  if (found.length) throw new Error(`response check: ${found.length} violation(s) of the wire contract (test/support/response-check.ts)\n${describeViolations(found)}`);
});

export async function mintToken(
  opts: { secretId?: string; secretKey?: string; iat?: number; key?: string; alg?: string; extra?: Record<string, unknown> } = {},
): Promise<string> {
  const secretId = opts.secretId ?? DEFAULT_SECRET_ID;
  const key = opts.key ?? `${secretId}||${opts.secretKey ?? DEFAULT_SECRET_KEY}`;
  return new SignJWT({ iss: secretId, iat: opts.iat ?? Math.floor(Date.now() / 1000), ...opts.extra })
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(key));
}

/** Builds the real app on an in-memory store with a frozen clock and deterministic UUIDs. */
export async function startApp(config: ConfigInput = {}, opts: BuildOptions = {}): Promise<TestApp> {
  const wall = new ManualWall();
  const check = new ResponseCheck();
  const configure = (app: FastifyInstance) => {
    check.install(app);
    opts.configure?.(app);
  };
  // The runner's timer never fires during a test: tests run due work with runDue or the clock API.
  const app = await buildApp(testConfig(config), { ids: new SequentialIds(), wall: wall.now, clockStart: { frozenAt: T0 }, tickMs: 3_600_000, wakeRunner: false, ...opts, configure, onSerializeFailure: (f) => { check.serializeFailed(f); opts.onSerializeFailure?.(f); } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  open.push({ app, check });
  const http = request(app.server);
  const auth = async () => `Bearer ${await mintToken({ iat: Math.floor(wall.now() / 1000) })}`;
  const sql = <T>(query: string, ...params: unknown[]) => app.mock.db.$client.prepare(query).all(...params) as T[];
  const clockOf = (teamId: number) => app.mock.clock.team(teamId);
  return { app, clock: clockOf(1), clockOf, wall, runDue: (teamId) => app.mock.runner.runDue(teamId), http, auth, sql, takeViolations: () => check.take() };
}

/** Asserts the one error shape: status, code, and (for 400s) the field it names. */
export function expectApiError(res: { status: number; body: unknown; headers: Record<string, string> }, status: number, code: string, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const body = res.body as { error: string; message: string; field?: string };
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  if (field !== undefined) expect(body.field).toBe(field);
  expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
}

/** Every row of every table, in rowid order: a rejected request must leave all of it as it was. */
export function storeSnapshot(t: TestApp): Record<string, unknown[]> {
  const tables = t.sql<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name");
  return Object.fromEntries(tables.map(({ name }) => [name, t.sql(`SELECT * FROM "${name}" ORDER BY rowid`)]));
}

type Res = { status: number; body: unknown; headers: Record<string, string> };

/**
 * Sends a request that must be refused and checks the error shape, the field, and that nothing
 * in the store changed. `send` is called after the "before" snapshot. `field`: the field the
 * error must name; null when it must name none; undefined to leave it unchecked.
 */
export async function expectRejected(t: TestApp, send: () => PromiseLike<Res>, status: number, code: string, field?: string | null) {
  const before = storeSnapshot(t);
  const res = await send();
  expectApiError(res, status, code, field ?? undefined);
  if (field === null) expect((res.body as { field?: string }).field).toBeUndefined();
  expect(storeSnapshot(t)).toEqual(before);
  return res as Res & { body: { error: string; message: string; field?: string } };
}
