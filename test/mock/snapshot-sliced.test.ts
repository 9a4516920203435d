import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { teamGate } from '../../src/db/team-gate.js';
import { toIso } from '../../src/domain/time.js';
import { eachRow, tableReads } from '../../src/mock/snapshot/pages.js';
import { teamTables, type TeamTable } from '../../src/mock/snapshot/rows.js';
import { snapshotText } from '../../src/mock/snapshot/text.js';
import { startApp, type TestApp } from '../support/app.js';

// GET /__mock/snapshot read in slices (src/mock/snapshot/text.ts, pages.ts): the same text as the
// document built in one go, the event loop yielded meanwhile, and other teams' writes between the
// slices leaving it unchanged.

type Row = Record<string, unknown>;

/**
 * The document as GET /__mock/snapshot built it before it was sliced (a query per table, one
 * JSON.stringify of the whole), kept as the oracle: the sliced text must be its JSON byte for byte.
 */
function reference(t: TestApp, teamId: number) {
  const state: Record<string, Row[]> = {};
  for (const table of teamTables(t.app.mock.db)) {
    state[table.name] = t.sql<Row>(`SELECT * FROM "${table.name}" WHERE team_id = ? ORDER BY rowid`, teamId).map((row) => {
      const obj: Row = {};
      for (const [key, value] of Object.entries(row)) {
        if (key === 'team_id') continue;
        const kind = table.columns.get(key)?.kind;
        obj[key] = value === null ? null : kind === 'json' ? JSON.parse(value as string) : kind === 'boolean' ? value !== 0 : value;
      }
      return obj;
    });
  }
  const team = t.sql<{ id: number; name: string; list_size: number; created: number }>('SELECT * FROM teams WHERE id = ?', teamId)[0]!;
  const rows = (name: string) => state[name]!;
  const seats = new Map<number, number[]>();
  for (const r of rows('inbox_members')) seats.set(r.inbox_id as number, [...(seats.get(r.inbox_id as number) ?? []), r.member_id as number]);
  return {
    format: 'heymarket-mock/snapshot@1',
    team: {
      id: team.id,
      name: team.name,
      list_size: team.list_size,
      created: toIso(team.created),
      api_secrets: rows('api_secrets').map((r) => ({ secret_id: r.secret_id, secret_key: r.secret_key })),
      api_keys: rows('api_keys').map((r) => r.key),
      members: rows('members').map((r) => ({ id: r.id, first_name: r.first_name, last_name: r.last_name, email: r.email, phone: r.phone, role_id: r.role_id })),
      inboxes: rows('inboxes').map((r) => ({
        id: r.id,
        name: r.name,
        type: r.kind,
        ...(r.kind === 'sms' ? { phone: r.phone, phones: r.phones } : { email: r.email }),
        members: seats.get(r.id as number) ?? [],
        auto_assignable: r.auto_assignable,
        toll_free: r.toll_free,
      })),
      fields: [],
      tags: [],
      contacts: [],
      surveys: rows('surveys').map((r) => ({ id: r.id, name: r.name, type: r.type, question: r.question, created: toIso(r.created as number), updated: toIso(r.updated as number) })),
      webhooks: rows('webhooks').map((r) => ({ url: r.url, ...(r.events ? { events: r.events } : {}), token: r.token })),
      state,
    },
  };
}

/** Runs a statement that answers no rows (t.sql reads). */
const run = (t: TestApp, query: string, ...params: unknown[]) => t.app.mock.db.$client.prepare(query).run(...params);

const sliced = async (t: TestApp, teamId: number, opts: { sliceMs?: number } = {}) => Buffer.concat(await snapshotText(t.app.mock, teamId, opts)).toString('utf8');

/**
 * Team `id` with rows of every kind: unicode and escapes, nulls, booleans both ways, JSON columns
 * (one stored with spaces, which the snapshot writes compact), seats, surveys, webhooks with and
 * without events; contacts and channels whose index order is not their rowid order, with ties.
 */
async function variedTeam(t: TestApp, id: number, contacts = 300): Promise<string> {
  const phone = (n: number) => `1${400 + id}${3_000_000 + n}`;
  const res = await t.http.post('/__mock/teams').send({
    id,
    name: `Tëam ${id} — 🚀 "quoted" \\ back\nslash`,
    members: [
      { id: id * 100 + 1, first_name: 'Zoë', last_name: '李', email: `z${id}@example.com`, phone: phone(900_001), role_id: 1 },
      { id: id * 100 + 2, first_name: 'Al', email: `a${id}@example.com`, phone: phone(900_002) },
    ],
    inboxes: [
      { id: id * 100 + 1, name: 'SMS ☎', phone: phone(900_100), phones: [phone(900_100), phone(900_101)], members: [id * 100 + 2, id * 100 + 1] },
      { id: id * 100 + 2, name: 'Mail', type: 'email', email: `in${id}@example.com`, auto_assignable: false },
    ],
    fields: [{ title: 'Plan' }, { title: 'Nöte' }],
    tags: [{ tag: 'VIP', color: '#FFD700' }, { tag: 'naïve' }],
    contacts: Array.from({ length: contacts }, (_, i) =>
      i % 5 === 4
        ? { email: `${String.fromCharCode(122 - (i % 26))}${i}@example.com`, first: `Mail ${i}` }
        : { phone: phone(i), first: `Ünï ${i} 😀`, last: i % 3 ? `O'Neil "${i}"` : '', custom: i % 2 ? { Plan: `gold ${i}`, 'Nöte': '\u0001\t' } : {}, tags: i % 4 ? ['VIP'] : ['naïve', 'VIP'], is_opted_out: i % 7 === 0, blocked: i % 11 === 0 },
    ),
    surveys: [{ id: id * 100 + 1, name: 'NPS', type: 'nps', question: '¿Qué tal? 👍' }],
    webhooks: [{ url: 'https://hooks.example/a', events: ['message_sent', 'chat_closed'] }, { url: 'http://127.0.0.1:9/b', token: 'tök' }],
  });
  expect(res.status, res.text).toBe(201);
  const auth = `Bearer ${res.body.api_keys[0]}`;
  const send = await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: id * 100 + 1, creator_id: id * 100 + 1, phone_number: phone(1), text: 'Hëllo 🚀' });
  expect(send.status, send.text).toBe(200);
  // The newest first in the team's index on `updated`, a third of them tied.
  run(t, 'UPDATE contacts SET updated = CASE WHEN id % 3 = 0 THEN 5 ELSE 1000000 - id END WHERE team_id = ?', id);
  run(t, `UPDATE contacts SET custom = '{ "b" : [1, 2.50, {"x": null}], "a": "\\u00e9" }' WHERE id = (SELECT min(id) FROM contacts WHERE team_id = ?)`, id);
  return auth;
}

describe('the sliced snapshot', () => {
  it('is the document built in one go, byte for byte, in slices of any length and over GET', async () => {
    const t = await startApp();
    const auths = [await t.auth(), await variedTeam(t, 5), await variedTeam(t, 6, 40)];
    for (const [i, id] of [1, 5, 6].entries()) {
      const expected = JSON.stringify(reference(t, id));
      expect(expected.length).toBeGreaterThan(1000);
      expect(await sliced(t, id, { sliceMs: 0 })).toBe(expected);
      expect(await sliced(t, id)).toBe(expected);
      const res = await t.http.get('/__mock/snapshot').set('Authorization', auths[i]!);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(expected)));
      expect(res.text).toBe(expected);
    }
  });

  it('yields the event loop while it reads a team of thousands of rows', async () => {
    const t = await startApp();
    await variedTeam(t, 5, 0);
    insertContacts(t, 5, 30_000);
    let turns = 0;
    let reading = true;
    const counting = (async () => {
      while (reading) {
        await nextTurn();
        turns++;
      }
    })();
    const text = await sliced(t, 5);
    reading = false;
    await counting;
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(text).toBe(JSON.stringify(reference(t, 5)));
  });

  it("is unchanged by other teams' writes between its slices, a reset of theirs included", async () => {
    const t = await startApp();
    await variedTeam(t, 5, 0);
    const other = await variedTeam(t, 6, 50);
    // Even ids for team 5; team 6 writes odd ids in between, with the same `updated`.
    insertContacts(t, 5, 3000, (i) => 2_000_000 + 2 * i);
    const expected = JSON.stringify(reference(t, 5));
    let writes = 0;
    let reading = true;
    const writing = (async () => {
      while (reading) {
        await nextTurn();
        insertContacts(t, 6, 1, () => 2_000_001 + 2 * writes);
        run(t, 'DELETE FROM contact_tags WHERE team_id = 6 AND rowid = (SELECT min(rowid) FROM contact_tags WHERE team_id = 6)');
        if (++writes === 5) expect((await t.http.post('/__mock/reset').set('Authorization', other)).status).toBe(200);
      }
    })();
    const text = await sliced(t, 5, { sliceMs: 0 });
    reading = false;
    await writing;
    expect(writes).toBeGreaterThan(20);
    expect(t.sql<{ n: number }>('SELECT count(*) AS n FROM contacts WHERE team_id = 6 AND id > 2000000')[0]!.n).toBeGreaterThan(10);
    expect(text).toBe(expected);
  });

  it('ends with a 409 when the team is reset meanwhile', async () => {
    const t = await startApp();
    const auth = await variedTeam(t, 5, 0);
    insertContacts(t, 5, 5000);
    const outcome = sliced(t, 5, { sliceMs: 0 }).then(() => undefined, (e: unknown) => e);
    expect((await t.http.post('/__mock/reset').set('Authorization', auth)).status).toBe(200);
    const error = await outcome;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 409, errorCode: 'store_replaced' });
  });

  it("GET holds the team's gate while it reads: the team's own requests wait", async () => {
    const t = await startApp();
    const auth = await variedTeam(t, 5, 0);
    insertContacts(t, 5, 20_000);
    const gate = teamGate(t.app.mock.db);
    let held = 0;
    let reading = true;
    const watching = (async () => {
      while (reading) {
        await nextTurn();
        if (gate.holds(5)) held++;
      }
    })();
    const res = await t.http.get('/__mock/snapshot').set('Authorization', auth);
    reading = false;
    await watching;
    expect(res.status).toBe(200);
    expect(held).toBeGreaterThan(0);
    expect(res.text).toBe(JSON.stringify(reference(t, 5)));
  });
});

/** `n` contacts of the team written directly (cheap for a big team), ids from `idOf` or the next ones, half of them sharing `updated`. */
function insertContacts(t: TestApp, teamId: number, n: number, idOf?: (i: number) => number) {
  const client = t.app.mock.db.$client;
  const insert = client.prepare(
    "INSERT INTO contacts (id, team_id, uuid, phone, first, custom, email_suppressions, op, rev, created, updated) VALUES (?, ?, ?, ?, ?, ?, '[]', 'create', 1, 7, ?)",
  );
  client.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = idOf?.(i) ?? null;
      insert.run(id, teamId, `00000000-0000-4000-8000-${String(teamId).padStart(4, '0')}${String(i + (id ?? 0)).padStart(8, '0')}`, null, `Bulk ${i} ✓`, JSON.stringify({ n: String(i) }), i % 2 ? 9 : 1e6 - i);
    }
  })();
}

describe('a team table read in pages', () => {
  // A table of the test's own: an index with a nullable column, an expression, NULL and tied
  // values, rows of two teams interleaved, so that pages end on NULLs, ties and both teams.
  const PROBE: TeamTable = {
    name: 'probe',
    columns: new Map([
      ['id', { name: 'id', kind: 'integer', notNull: false, optional: true }],
      ['team_id', { name: 'team_id', kind: 'integer', notNull: true, optional: false }],
      ['v', { name: 'v', kind: 'text', notNull: false, optional: true }],
      ['w', { name: 'w', kind: 'text', notNull: false, optional: true }],
      ['b', { name: 'b', kind: 'boolean', notNull: true, optional: false }],
      ['j', { name: 'j', kind: 'json', notNull: true, optional: false }],
    ]),
    references: [],
  };

  async function probe(index: string) {
    const t = await startApp();
    run(t, 'CREATE TABLE probe (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, v TEXT, w TEXT, b INTEGER NOT NULL, j TEXT NOT NULL)');
    run(t, index);
    const insert = t.app.mock.db.$client.prepare('INSERT INTO probe (team_id, v, w, b, j) VALUES (?, ?, ?, ?, ?)');
    for (let i = 0; i < 6000; i++) {
      const k = (i * 7919) % 6000;
      insert.run(7 + (i % 2), k < 2400 ? null : ['b', 'a', 'c'][k % 3]!, k % 5 === 0 ? null : ['X', 'x', 'y', 'Éz'][k % 4]!, k % 2, JSON.stringify({ k, s: 'ü' }));
    }
    const read = async (teamId: number) => {
      const out: Row[] = [];
      await eachRow(t.app.mock.db, PROBE, teamId, () => nextTurn(), (r) => out.push(r));
      return out;
    };
    const expected = (teamId: number) =>
      t.sql<Row>('SELECT * FROM probe WHERE team_id = ? ORDER BY rowid', teamId).map(({ team_id: _, b, j, ...r }) => ({ ...r, b: b !== 0, j: JSON.parse(j as string) }));
    return { t, read, expected };
  }

  it('through an index with a nullable column and an expression: every row of the team, in rowid order', async () => {
    const { t, read, expected } = await probe('CREATE INDEX probe_team ON probe (team_id, v ASC, lower(w))');
    expect(tableReads(t.app.mock.db, PROBE).terms).toEqual(['"v"', 'lower(w)']);
    for (const teamId of [7, 8]) {
      const rows = await read(teamId);
      expect(rows).toHaveLength(3000);
      expect(rows).toEqual(expected(teamId));
    }
  });

  it('through an index of team_id alone: in its own order', async () => {
    const { t, read, expected } = await probe('CREATE INDEX probe_team ON probe (team_id)');
    expect(tableReads(t.app.mock.db, PROBE).terms).toEqual([]);
    expect(await read(8)).toEqual(expected(8));
  });

  it("every team table is read by seeks on the team's index entries and by rowid, never a scan or a sort", async () => {
    const t = await startApp();
    const db = t.app.mock.db;
    for (const table of teamTables(db)) {
      const reads = tableReads(db, table);
      const plan = (stmt: { source: string }) => t.sql<{ detail: string }>(`EXPLAIN QUERY PLAN ${stmt.source}`, ...Array<number>(stmt.source.split('?').length - 1).fill(1)).map((r) => r.detail).join(' | ');
      for (const stmt of [reads.first, ...reads.after, ...reads.afterNull]) {
        expect(plan(stmt), `${table.name}: ${stmt.source}`).toMatch(/^SEARCH \S+ USING COVERING INDEX \S+ \(team_id=\?[^|]*\)$/);
      }
      // Ties on every term continue by a seek on the rowid, not a walk through them (a unique index has no ties).
      const ties = reads.after.at(-1)!;
      const index = /INDEXED BY "([^"]+)"/.exec(ties.source)![1]!;
      if (!t.sql<{ unique: number }>('SELECT "unique" FROM pragma_index_list(?) WHERE name = ?', table.name, index)[0]!.unique) expect(plan(ties), table.name).toMatch(/(rowid|\bid)>\?\)$/);
      expect(plan(reads.rows), table.name).toMatch(/^SEARCH \S+ USING INTEGER PRIMARY KEY \(rowid=\?\) \| LIST SUBQUERY 1 \| SCAN json_each VIRTUAL TABLE INDEX \d+:$/);
    }
  });
});
