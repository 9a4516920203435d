import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../src/config.js';
import { open, readResponse } from './support/raw-http.js';
import { killAll, listeningUrl, spawnMain, type Child } from './support/server.js';

// SIGTERM under load (issue #11 defect 5), against the real process: every request the server
// accepted gets a complete answer (its own, or the mock's 503 with Connection: close), none a
// reset, and every acknowledged write is in the database afterwards.

const WAIT_MS = 30_000;
const AUTH = `Bearer ${DEFAULT_API_KEY}`;

let dir: string;
const children: Child[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-drain-'));
});
afterEach(async () => {
  await killAll(children);
  rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>): Child {
  const child = spawnMain(['--port', '0', '--host', '127.0.0.1'], { LOG_LEVEL: 'warn', HEYMARKET_MOCK_RATE_LIMIT: '0', ...env });
  children.push(child);
  return child;
}

/** Polls `check` every 20 ms until it answers a value (fails after WAIT_MS). */
async function until<T>(what: () => string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const portOf = (c: Child) => listeningUrl(c, WAIT_MS).then((url) => Number(new URL(url).port));

interface Outcome {
  status?: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string | string[] | undefined>;
  error?: string;
  /** Sent on a connection that had carried an earlier request (http.ClientRequest.reusedSocket). */
  reused?: boolean;
}

function send(agent: Agent, port: number, method: string, path: string, body?: unknown): Promise<Outcome> {
  return new Promise((res) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ agent, host: '127.0.0.1', port, method, path, headers: { authorization: AUTH, ...(data ? { 'content-type': 'application/json' } : {}) } }, (r) => {
      let text = '';
      r.setEncoding('utf8').on('data', (d: string) => (text += d));
      r.on('end', () => res({ status: r.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: r.headers }));
      r.on('error', (e: NodeJS.ErrnoException) => res({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => res({ error: e.code ?? e.message, reused: req.reusedSocket }));
    req.end(data);
  });
}

/** Resolves once a new connection is refused: the server stopped accepting. */
const refusing = (port: number) =>
  until(
    () => 'the server still accepts connections',
    () =>
      new Promise<true | undefined>((res) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), res(undefined)));
        s.once('error', () => res(true));
      }),
  );

const phone = (i: number) => `1415555${String(1000 + i).padStart(4, '0')}`;

describe('SIGTERM under load (real process)', () => {
  it('finishes the 80 requests in flight, answers a new request on an open connection with the 503 shape, keeps every acknowledged write', { timeout: 90_000 }, async () => {
    const db = join(dir, 'mock.sqlite');
    const c = run({ HEYMARKET_MOCK_DB: db });
    const port = await portOf(c);
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    // Hold every contact creation in the server (a fault delay; a stopping server cuts it short).
    const rule = await send(agent, port, 'POST', '/__mock/faults', { path: '/v1/contact', method: 'POST', delay_ms: 60_000 });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    // A keep-alive connection, idle when the signal comes.
    const idle = await open(port);
    const first = readResponse(idle);
    idle.write('GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect((await first).status).toBe(200);
    // A request whose body is still on its way when the signal comes: in flight too.
    const slow = await open(port);
    const slowBody = JSON.stringify({ phone: '14155559999', first: 'Slow' });
    slow.write(`POST /v1/contact HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\nContent-Length: ${slowBody.length}\r\n\r\n${slowBody.slice(0, 5)}`);

    const held = Array.from({ length: 80 }, (_, i) => send(agent, port, 'POST', '/v1/contact', { phone: phone(i), first: `C${i}` }));
    const probe = new Agent({ keepAlive: false });
    let last: unknown;
    await until(
      () => `the 80 requests did not all reach the server: ${JSON.stringify(last)}`,
      async () => {
        const r = await send(probe, port, 'GET', '/__mock/faults');
        last = r;
        // 80, and the slow request (its headers are in).
        return (r.body as unknown as Array<{ hits: number }>)[0]?.hits === 81 ? true : undefined;
      },
    );

    c.proc.kill('SIGTERM');
    await refusing(port);
    // Something new on a connection that is already open: the mock's own 503, then the connection closes.
    const late = readResponse(idle);
    idle.write('GET /v1/inboxes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ' + AUTH + '\r\n\r\n');
    const lateRes = await late;
    expect(lateRes.status).toBe(503);
    expect(lateRes.headers.connection).toBe('close');
    expect(lateRes.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lateRes.json).toMatchObject({ error: 'server_error', error_code: 'shutting_down' });
    // The slow request is finished, not cut.
    const slowAnswer = readResponse(slow);
    slow.write(slowBody.slice(5));
    expect((await slowAnswer).status).toBe(200);

    const outcomes = await Promise.all(held);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes.map((o) => o.status)).toEqual(Array(80).fill(200));
    for (const o of outcomes) expect(o.headers!['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await c.exited).code).toBe(0);
    const file = new Database(db, { readonly: true });
    try {
      expect(file.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 81 });
    } finally {
      file.close();
    }
    agent.destroy();
  });

  it('under a steady load of 80 clients: every request gets a complete answer (200 or the 503 shape) or is refused before connecting; none is reset', { timeout: 90_000 }, async () => {
    const c = run({ HEYMARKET_MOCK_DB: join(dir, 'load.sqlite') });
    const port = await portOf(c);
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    const outcomes: Outcome[] = [];
    let stop = false;
    let i = 0;
    const worker = async () => {
      while (!stop) {
        const o = await send(agent, port, 'POST', '/v1/contact', { phone: phone(i++ % 9000) });
        outcomes.push(o);
        if (o.error === 'ECONNREFUSED') return; // the server no longer accepts: this client is done
      }
    };
    const workers = Array.from({ length: 80 }, worker);
    await until(() => 'no load yet', () => (outcomes.length >= 400 ? true : undefined));
    c.proc.kill('SIGTERM');
    const { code } = await c.exited;
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    expect(code).toBe(0);
    const counts: Record<string, number> = {};
    for (const o of outcomes) {
      // A reset on a fresh connection: it sat in the kernel's accept queue when the listener
      // closed, and never reached the server. A reset on a reused connection would be the server's fault.
      const key = o.error === 'ECONNRESET' && !o.reused ? 'ECONNRESET (never accepted)' : (o.error ?? String(o.status));
      counts[key] = (counts[key] ?? 0) + 1;
      if (o.status === 503) expect(o.body).toMatchObject({ error: 'server_error', error_code: 'shutting_down' });
      if (o.status !== undefined) expect(o.headers!['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // 200 and 503 are answers; ECONNREFUSED and a reset fresh connection never reached the server.
    expect(Object.keys(counts).filter((k) => !['200', '503', 'ECONNREFUSED', 'ECONNRESET (never accepted)'].includes(k)), JSON.stringify(counts)).toEqual([]);
    console.log('SIGTERM under load:', JSON.stringify(counts));
  });
});
