import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { openDb } from '../../src/db/open.js';
import { killAll, startServer, type Child } from '../support/server.js';

// Two server processes on one database file (issue #11 defect 6, decision S7): write transactions
// start IMMEDIATE with their reads inside and wait for the other process's lock (busy_timeout),
// so 50 racing updates of one contact split across them all succeed with distinct revs.

const AUTH = `Bearer ${DEFAULT_API_KEY}`;
const children: Child[] = [];
let dir: string | undefined;

afterEach(async () => {
  await killAll(children);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function server(db: string): Promise<string> {
  const s = await startServer(db);
  children.push(s);
  return s.url;
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
