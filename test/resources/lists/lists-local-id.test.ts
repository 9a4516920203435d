import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../../src/config.js';
import { openDb } from '../../../src/db/open.js';
import { killAll, startServer, type Child } from '../../support/server.js';
import { AUTH2, FREE1, FREE2, memberPhones, start, startTwo } from './support.js';

// local_id exists "to avoid duplicate lists" (doc): one list per team and local_id, however many
// creates carry it at once. The look-up runs inside the create's IMMEDIATE transaction, and the
// unique index lists_team_local_id (migration 0002) holds the rule in the store itself.

describe('POST /v2/lists with one local_id', () => {
  it('20 concurrent identical creates make one list, and every answer names it', async () => {
    const { t, auth } = await start();
    const body = { title: 'Promo', local_id: 'promo-2026', phones: [FREE1, FREE2] };
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.http.post('/v2/lists').set('Authorization', auth).send(body)));
    for (const res of answers) expect(res.status, JSON.stringify(res.body)).toBe(200);
    const first = answers[0]!.body as { id: number; rev: number; uuid: string };
    for (const res of answers) expect(res.body).toEqual(first);
    expect(t.sql('SELECT id, local_id FROM lists')).toEqual([{ id: first.id, local_id: 'promo-2026' }]);
    expect(memberPhones(t, first.id)).toEqual([FREE1, FREE2]);
    // One contact per number, however many creates raced.
    expect(t.sql('SELECT phone FROM contacts ORDER BY id')).toEqual([{ phone: FREE1 }, { phone: FREE2 }]);
  });

  it('creates without a local_id are never merged; the same local_id in another team is another list', async () => {
    const { t, auth } = await startTwo();
    const send = (a: string, b: Record<string, unknown>, path = '/v2/lists') => t.http.post(path).set('Authorization', a).send(b);
    // v1 makes local_id optional (v2 requires it, non-empty): none given is stored as ''.
    const plain = await Promise.all([send(auth, { title: 'A', phones: [FREE1] }, '/v1/list'), send(auth, { title: 'B', phones: [FREE1] }, '/v1/list')]);
    const keyed = await Promise.all([send(auth, { title: 'K1', local_id: 'k', phones: [FREE1] }), send(AUTH2, { title: 'K2', local_id: 'k', phones: [FREE1] })]);
    for (const res of [...plain, ...keyed]) expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(new Set([...plain, ...keyed].map((r) => r.body.id)).size).toBe(4);
    expect(t.sql('SELECT team_id, name, local_id FROM lists ORDER BY name')).toEqual([
      { team_id: 1, name: 'A', local_id: '' },
      { team_id: 1, name: 'B', local_id: '' },
      { team_id: 1, name: 'K1', local_id: 'k' },
      { team_id: 2, name: 'K2', local_id: 'k' },
    ]);
    // Every entry carries its list's team.
    expect(t.sql('SELECT l.team_id AS list_team, m.team_id AS entry_team FROM list_members m JOIN lists l ON l.id = m.list_id').every((r) => {
      const { list_team, entry_team } = r as { list_team: number; entry_team: number };
      return list_team === entry_team;
    })).toBe(true);
  });

  it('the store refuses a second list with the team and local_id of another, and the look-up uses that index', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v2/lists').set('Authorization', auth).send({ title: 'Keyed', local_id: 'k', phones: [FREE1] });
    expect(res.status).toBe(200);
    const insert = (localId: string) =>
      t.sql(`INSERT INTO lists (team_id, uuid, name, local_id, kind, rev, created, updated) VALUES (1, 'u', 'x', ?, 'phones', 1, 0, 0) RETURNING id`, localId);
    expect(() => insert('k')).toThrow(/UNIQUE constraint failed: lists.team_id, lists.local_id/);
    expect(insert('')).toHaveLength(1);
    expect(insert('')).toHaveLength(1);
    const plan = t.app.mock.db.$client
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM "lists" WHERE ("lists"."team_id" = ? AND "lists"."local_id" = ? AND "lists"."local_id" <> '')`)
      .all(1, 'k') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toContain('lists_team_local_id');
  });
});

// Two mock processes on one database file: requests really interleave, so a look-up outside the
// transaction would let both create the list (or, with the unique index, fail one with a 500).

const children: Child[] = [];
let dir: string | undefined;

afterEach(async () => {
  await killAll(children);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Starts src/main.ts on `db` (port 0) and resolves with its base URL once it listens. */
async function server(db: string): Promise<string> {
  const s = await startServer(db);
  children.push(s);
  return s.url;
}

describe('POST /v2/lists with one local_id from two processes on one database file', () => {
  it('makes one list per local_id, and every answer for a local_id names the same list', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hm-lists-race-'));
    const db = join(dir, 'mock.sqlite');
    openDb(db).$client.close(); // migrated once, before two processes open it
    const [a, b] = await Promise.all([server(db), server(db)]);

    const KEYS = 30;
    const REPEATS = 4; // per key: half to each process, all in flight together
    const calls = Array.from({ length: KEYS * REPEATS }, (_, n) => {
      const key = `race-${n % KEYS}`;
      const url = Math.floor(n / KEYS) % 2 === 0 ? a : b;
      return fetch(`${url}/v2/lists`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEFAULT_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: key, local_id: key, phones: [FREE1] }),
        signal: AbortSignal.timeout(20_000),
      }).then(async (res) => ({ key, status: res.status, body: (await res.json()) as { id: number } }));
    });
    const answers = await Promise.all(calls);
    for (const r of answers) expect(r.status, JSON.stringify(r)).toBe(200);
    const idOf = new Map<string, Set<number>>();
    for (const r of answers) idOf.set(r.key, (idOf.get(r.key) ?? new Set()).add(r.body.id));
    for (const [key, ids] of idOf) expect([...ids], key).toHaveLength(1);

    const check = openDb(db);
    try {
      const rows = check.$client.prepare('SELECT local_id, count(*) AS n FROM lists GROUP BY local_id').all() as Array<{ local_id: string; n: number }>;
      expect(rows).toHaveLength(KEYS);
      for (const r of rows) expect(r, r.local_id).toEqual({ local_id: r.local_id, n: 1 });
      expect(check.$client.prepare('SELECT count(*) AS n FROM list_members').get()).toEqual({ n: KEYS });
    } finally {
      check.$client.close();
    }
  }, 120_000);
});
