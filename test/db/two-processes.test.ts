import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, envNames } from '../../src/config.js';
import { openDb } from '../../src/db/open.js';

// Two server processes on one database file (issue #11 defect 6, decision S7): write transactions
// start IMMEDIATE with their reads inside and wait for the other process's lock (busy_timeout),
// so 50 racing updates of one contact split across them all succeed with distinct revs.

const ROOT = resolve(import.meta.dirname, '../..');
const WAIT_MS = 60_000;
const AUTH = `Bearer ${DEFAULT_API_KEY}`;
const procs: ChildProcess[] = [];
let dir: string | undefined;

afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function server(db: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(envNames)) delete env[name];
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--port', '0', '--db', db], {
    cwd: ROOT,
    env: { ...env, LOG_LEVEL: 'warn', HEYMARKET_MOCK_RATE_LIMIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const deadline = performance.now() + WAIT_MS;
  while (performance.now() < deadline) {
    const url = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    if (url) return url;
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start\nstdout: ${out}\nstderr: ${err}`);
}

const call = (url: string, method: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) }).then(
    async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }),
  );

describe('two server processes on one database file', () => {
  it('50 concurrent updates of one contact split across them: all 200, revs 2…51 each once, the last write stays', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-two-'));
    const db = join(dir, 'mock.sqlite');
    openDb(db).$client.close(); // migrated once, before two processes open it
    const [a, b] = await Promise.all([server(db), server(db)]);
    const created = await call(a, 'POST', '/v1/contact', { phone: '14155550177', first: 'Start' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.id as number;
    const uuid = created.body.uuid as string;
    const names = Array.from({ length: 50 }, (_, i) => `Name${i}`);
    const results = await Promise.all(
      names.map((first, i) => (i % 2 ? call(a, 'PUT', `/v1/contact/${id}`, { phone: '14155550177', first }) : call(b, 'PUT', `/v2/contact/${uuid}`, { first }))),
    );
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(results.map((r) => r.body.rev as number).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    const check = openDb(db);
    try {
      const row = check.$client.prepare('SELECT rev, first FROM contacts WHERE id = ?').get(id) as { rev: number; first: string };
      expect(row.rev).toBe(51);
      expect(row.first).toBe(names[results.findIndex((r) => r.body.rev === 51)]);
    } finally {
      check.$client.close();
    }
  }, 120_000);
});
