import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { openDb } from '../../src/db/open.js';
import { startApp, storeSnapshot, type TestApp } from '../support/app.js';

// Decision R7: the control plane's whole-team operations are written in slices behind the team
// gate, with a marker from the first write to the last. The proofs are orders, not timings: a
// request answered while the marker is stored was served mid-operation; a write the team sent
// mid-operation that is still there afterwards waited for it. Real sockets throughout (an
// injected request can be answered without the event loop turning).

const json = { 'content-type': 'application/json' };

function base(t: TestApp): string {
  const address = t.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('the app is not listening');
  return `http://127.0.0.1:${address.port}`;
}

async function call(t: TestApp, method: string, path: string, opts: { key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { ...json, ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}) };
  const res = await fetch(base(t) + path, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const contacts = (n: number, first = 'C') => Array.from({ length: n }, (_, i) => ({ phone: String(14152000000 + i), first, email: `c${i}@example.com` }));
const marker = (t: TestApp) => t.sql<{ team: number; kind: string }>('SELECT team, kind FROM team_rewrites');
const countOf = (t: TestApp, team: number) => t.sql<{ n: number }>('SELECT count(*) AS n FROM contacts WHERE team_id = ?', team)[0]!.n;

async function newTeam(t: TestApp, body: Record<string, unknown>) {
  const res = await call(t, 'POST', '/__mock/teams', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body!.id as number, key: (res.body!.api_keys as string[])[0]! };
}

/** Waits (turn by turn, no timer) until the operation's marker is stored. */
async function untilMarked(t: TestApp, done: () => boolean) {
  while (!marker(t).length) {
    if (done()) throw new Error('the operation ended before its marker was seen');
    await nextTurn();
  }
}

describe('whole-team operations are written in slices behind the team gate (decision R7)', () => {
  it('a team reset: another team is answered mid-reset, and a write of the team itself waits for the reset and stays', async () => {
    const t = await startApp();
    const team = await newTeam(t, { id: 50, contacts: contacts(4000) });
    expect((await call(t, 'POST', '/v1/contact', { key: team.key, body: { phone: '14155550999', first: 'Gone' } })).status).toBe(200);

    let ended = false;
    const reset = call(t, 'POST', '/__mock/reset', { key: team.key, body: {} }).finally(() => (ended = true));
    await untilMarked(t, () => ended);
    const other = await call(t, 'GET', '/v1/inboxes', { key: DEFAULT_API_KEY });
    const midway = marker(t);
    const own = call(t, 'POST', '/v1/contact', { key: team.key, body: { phone: '14155550998', first: 'After' } });

    expect(other.status).toBe(200);
    expect(midway, 'team 1 was answered while team 50 was being reset').toEqual([{ team: 50, kind: 'reset' }]);
    expect((await reset).status).toBe(200);
    expect((await own).status).toBe(200);
    expect(marker(t)).toEqual([]);
    // The reset removed "Gone" and wrote the 4000 again; "After" came once it had ended.
    expect(t.sql('SELECT first FROM contacts WHERE team_id = 50 AND first <> ?', 'C')).toEqual([{ first: 'After' }]);
    expect(countOf(t, 50)).toBe(4001);
    // Written after every contact of the reset, not between them.
    const [after] = t.sql<{ id: number }>("SELECT id FROM contacts WHERE team_id = 50 AND first = 'After'");
    expect(after!.id).toBeGreaterThan(t.sql<{ id: number }>("SELECT max(id) AS id FROM contacts WHERE team_id = 50 AND first = 'C'")[0]!.id);
  });

  it('a team created with thousands of contacts cannot be authenticated as, nor listed, before it is whole', async () => {
    const t = await startApp();
    let ended = false;
    const created = call(t, 'POST', '/__mock/teams', { body: { id: 60, api_keys: ['hm-key-sixty'], contacts: contacts(4000) } }).finally(() => (ended = true));
    await untilMarked(t, () => ended);
    const own = call(t, 'GET', '/v1/inboxes', { key: 'hm-key-sixty' });
    const listed = call(t, 'GET', '/__mock/teams/60');
    expect(marker(t)).toEqual([{ team: 60, kind: 'create' }]);
    expect((await created).status).toBe(201);
    expect((await own).status, 'the request waited for the team instead of a 401').toBe(200);
    const shown = await listed;
    expect(shown.status).toBe(200);
    expect(shown.body!.api_keys).toEqual(['hm-key-sixty']);
    expect(countOf(t, 60)).toBe(4000);
  });

  it('a team deleted: its requests during the delete answer 401 once it is gone; other teams keep every row', async () => {
    const t = await startApp();
    const team = await newTeam(t, { id: 70, contacts: contacts(4000) });
    const before = storeSnapshot(t);
    let ended = false;
    const deleted = call(t, 'DELETE', '/__mock/teams/70').finally(() => (ended = true));
    await untilMarked(t, () => ended);
    const own = call(t, 'GET', '/v1/inboxes', { key: team.key });
    expect((await deleted).status).toBe(204);
    expect((await own).status).toBe(401);
    const after = storeSnapshot(t);
    for (const [table, rows] of Object.entries(before)) {
      if (table === 'teams' || table === 'team_spec_parts' || table === 'team_rewrites') continue;
      expect(after[table], table).toEqual((rows as Array<{ team_id?: number }>).filter((r) => r.team_id !== 70));
    }
    expect(t.sql('SELECT id FROM teams WHERE id = 70')).toEqual([]);
    expect(t.sql('SELECT team FROM team_spec_parts WHERE team = 70')).toEqual([]);
  });

  it('a failure in the middle of a create (here a trigger) answers 500 and leaves no part of the team, nor its marker', async () => {
    const t = await startApp();
    t.app.mock.db.$client.exec("CREATE TEMP TRIGGER boom AFTER INSERT ON contacts WHEN NEW.first = 'Boom' BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");
    const list = contacts(4000);
    list[3500]!.first = 'Boom';
    const before = storeSnapshot(t);
    const res = await call(t, 'POST', '/__mock/teams', { body: { id: 80, contacts: list } });
    expect(res.status).toBe(500);
    expect(res.body!.error_code).toBe('internal_error');
    expect(storeSnapshot(t)).toEqual(before);
    expect(marker(t)).toEqual([]);
  });
});

describe('a whole-team operation cut short by a crash is finished or undone at start-up (decision R7)', () => {
  /** Two app lifetimes on one store: `crash` leaves it as a crash mid-operation would. */
  async function restart(setup: (t: TestApp, db: ReturnType<typeof openDb>) => Promise<void>) {
    const db = openDb(':memory:');
    const first = await startApp({}, { db });
    await setup(first, db);
    await first.app.close();
    const second = await startApp({}, { db });
    return second;
  }

  it('a create: the half-written team is gone', async () => {
    const t = await restart(async (t, db) => {
      await newTeam(t, { id: 90, contacts: contacts(50) });
      db.$client.exec("DELETE FROM api_keys WHERE team_id = 90; DELETE FROM contacts WHERE team_id = 90 AND id % 2 = 0; INSERT INTO team_rewrites (team, kind, started) VALUES (90, 'create', 0)");
    });
    expect(t.app.startup.recovered).toEqual([{ team: 90, kind: 'create' }]);
    expect(t.sql('SELECT count(*) AS n FROM contacts WHERE team_id = 90')).toEqual([{ n: 0 }]);
    expect(t.sql('SELECT id FROM teams WHERE id = 90')).toEqual([]);
    expect(marker(t)).toEqual([]);
  });

  it('a reset or a restore: the team is back to its starting state, whole', async () => {
    for (const kind of ['reset', 'restore']) {
      let whole: Record<string, unknown[]> = {};
      const t = await restart(async (t, db) => {
        await newTeam(t, { id: 91, api_keys: ['hm-key-91'], contacts: contacts(50) });
        whole = storeSnapshot(t);
        db.$client.exec(`DELETE FROM contacts WHERE team_id = 91 AND id % 3 = 0; UPDATE contacts SET first = 'Half' WHERE team_id = 91; INSERT INTO team_rewrites (team, kind, started) VALUES (91, '${kind}', 0)`);
      });
      expect(t.app.startup.recovered).toEqual([{ team: 91, kind }]);
      const contactsNow = t.sql<{ first: string; phone: string }>('SELECT first, phone FROM contacts WHERE team_id = 91 ORDER BY phone');
      expect(contactsNow).toEqual(contacts(50).map((c) => ({ first: c.first, phone: c.phone })).sort((a, b) => a.phone.localeCompare(b.phone)));
      expect(t.sql('SELECT key FROM api_keys WHERE team_id = 91')).toEqual([{ key: 'hm-key-91' }]);
      expect(t.sql('SELECT count(*) AS n FROM team_spec_parts WHERE team = 91')).toEqual([{ n: (whole.team_spec_parts as unknown[]).length }]);
      expect(marker(t)).toEqual([]);
      expect((await call(t, 'GET', '/v1/inboxes', { key: 'hm-key-91' })).status).toBe(200);
    }
  });

  it('a full reset: the store is back to the seed', async () => {
    const t = await restart(async (t, db) => {
      await newTeam(t, { id: 92, contacts: contacts(20) });
      db.$client.exec("DELETE FROM api_keys; INSERT INTO team_rewrites (team, kind, started) VALUES (0, 'reset-all', 0)");
    });
    expect(t.app.startup.recovered).toEqual([{ team: 0, kind: 'reset-all' }]);
    expect(t.sql('SELECT id FROM teams')).toEqual([{ id: 1 }]);
    expect((await call(t, 'GET', '/v1/inboxes', { key: DEFAULT_API_KEY })).status).toBe(200);
    expect(marker(t)).toEqual([]);
  });
});
