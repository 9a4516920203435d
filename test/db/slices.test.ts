import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { afterCommit, openDb, type Db } from '../../src/db/open.js';
import { replaceTeamEpoch } from '../../src/db/epochs.js';
import { ApiError } from '../../src/core/errors.js';
import { inSlices, slicesSettled } from '../../src/db/slices.js';

// inSlices (decision R6): batch items written in transactions that commit in turn, the event loop
// served between them. A slice time of 0 makes every item its own slice; a huge one puts every
// item in one, so the tests never depend on how fast the machine is.

let dir: string;
let open: Array<{ close(): unknown }> = [];

function files(): { db: Db; reader: Database.Database } {
  dir = mkdtempSync(join(tmpdir(), 'hm-slices-'));
  const db = openDb(join(dir, 'db.sqlite'));
  db.$client.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (v INTEGER, pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)');
  db.$client.exec('INSERT INTO p VALUES (1)');
  const reader = new Database(join(dir, 'db.sqlite'), { readonly: true });
  open = [reader, db.$client];
  return { db, reader };
}

afterEach(() => {
  for (const o of open) o.close();
  open = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const insert = (db: Db, v: number, pid = 1) => db.$client.prepare('INSERT INTO c VALUES (?, ?)').run(v, pid);
const values = (db: Database.Database | Db['$client']) => (db.prepare('SELECT v FROM c ORDER BY rowid').all() as Array<{ v: number }>).map((r) => r.v);

describe('inSlices', () => {
  it('commits each slice before the next, with the event loop served in between', async () => {
    const { db, reader } = files();
    // Another task on the event loop: it runs whenever the loop gets control back.
    let turns = 0;
    let ticker = setImmediate(function tick() {
      turns++;
      ticker = setImmediate(tick);
    });
    const seen: Array<{ committed: number[]; turns: number }> = [];
    try {
      const out = await inSlices(db, [10, 20, 30], (v) => {
        seen.push({ committed: values(reader), turns });
        insert(db, v);
        return v * 2;
      }, { sliceMs: 0 });
      expect(out).toEqual([{ ok: true, value: 20 }, { ok: true, value: 40 }, { ok: true, value: 60 }]);
    } finally {
      clearImmediate(ticker);
    }
    // Another connection saw each earlier item committed while the next one was written.
    expect(seen.map((s) => s.committed)).toEqual([[], [10], [10, 20]]);
    // The other task ran between each two slices.
    expect(seen[1]!.turns).toBeGreaterThan(seen[0]!.turns);
    expect(seen[2]!.turns).toBeGreaterThan(seen[1]!.turns);
    expect(values(reader)).toEqual([10, 20, 30]);
  });

  it('takes items into one slice until its time is up: one transaction, nothing visible before the end', async () => {
    const { db, reader } = files();
    const seen: number[][] = [];
    await inSlices(db, [1, 2, 3, 4], (v) => {
      seen.push(values(reader));
      insert(db, v);
    }, { sliceMs: 60_000 });
    expect(seen).toEqual([[], [], [], []]);
    expect(values(reader)).toEqual([1, 2, 3, 4]);
  });

  it('an item that throws is its own outcome: its writes and its effects are undone, the others stand', async () => {
    const { db } = files();
    const effects: number[] = [];
    const refused = new Error('refused');
    const out = await inSlices(db, [1, 2, 3], (v) => {
      insert(db, v);
      afterCommit(db, () => effects.push(v));
      if (v === 2) throw refused;
    }, { sliceMs: 60_000 });
    expect(out).toEqual([{ ok: true, value: undefined }, { ok: false, error: refused }, { ok: true, value: undefined }]);
    expect(values(db.$client)).toEqual([1, 3]);
    expect(effects).toEqual([1, 3]);
  });

  it('a slice that cannot commit after earlier ones did: its items and every later one carry the error, and wrote nothing', async () => {
    const { db, reader } = files();
    // Item 1 breaks a deferred foreign key: its own savepoint is released, and its slice's COMMIT fails.
    const out = await inSlices(db, [0, 1, 2], (v) => insert(db, v, v === 1 ? 99 : 1), { sliceMs: 0 });
    expect(out[0]).toMatchObject({ ok: true });
    expect(out.slice(1).map((o) => o.ok)).toEqual([false, false]);
    expect(String((out[1] as { error: unknown }).error)).toMatch(/FOREIGN KEY constraint failed/);
    expect(values(reader)).toEqual([0]);
  });

  it('a first slice that cannot commit fails the whole call: nothing was written', async () => {
    const { db, reader } = files();
    await expect(inSlices(db, [0, 1], (v) => insert(db, v, v === 0 ? 99 : 1), { sliceMs: 0 })).rejects.toThrow(/FOREIGN KEY constraint failed/);
    expect(values(reader)).toEqual([]);
  });

  it('an item whose error ended the whole transaction (as SQLite does on a full disk) fails its slice, not just itself', async () => {
    const { db, reader } = files();
    const ended = (v: number) => {
      insert(db, v);
      if (v === 2) {
        db.$client.exec('ROLLBACK'); // what SQLite does by itself on SQLITE_FULL or an I/O error
        throw new Error('disk full');
      }
    };
    const out = await inSlices(db, [1, 2, 3], ended, { sliceMs: 0 });
    expect(out.map((o) => o.ok)).toEqual([true, false, false]);
    expect(values(reader)).toEqual([1]);
    // In one slice: nothing had committed, so the call fails and nothing is written.
    await expect(inSlices(db, [4, 2, 5], ended, { sliceMs: 60_000 })).rejects.toThrow('disk full');
    expect(values(reader)).toEqual([1]);
    expect(db.$client.inTransaction).toBe(false);
  });

  it("stops when its team's store is replaced between slices (a reset, a restore, a delete): the items left get store_replaced", async () => {
    const { db, reader } = files();
    const out = await inSlices(db, [1, 2, 3], (v) => {
      insert(db, v);
      if (v === 1) replaceTeamEpoch(db, 7);
    }, { teamId: 7, sliceMs: 0 });
    expect(out[0]).toMatchObject({ ok: true });
    expect(out.slice(1).map((o) => !o.ok && o.error instanceof ApiError && o.error.errorCode === 'store_replaced' && o.error.statusCode === 409)).toEqual([true, true]);
    expect(values(reader)).toEqual([1]);
    // Another team's replacement leaves it alone; a whole reset stops it too.
    const other = await inSlices(db, [4, 5], (v) => {
      insert(db, v);
      replaceTeamEpoch(db, 8);
    }, { teamId: 7, sliceMs: 0 });
    expect(other.every((o) => o.ok)).toBe(true);
    const whole = await inSlices(db, [6, 7], (v) => {
      insert(db, v);
      replaceTeamEpoch(db);
    }, { teamId: 7, sliceMs: 0 });
    expect(whole.map((o) => o.ok)).toEqual([true, false]);
  });

  it('slicesSettled waits for the runs in progress (closing waits for them before the database closes)', async () => {
    const { db } = files();
    const run = inSlices(db, [1, 2, 3, 4], (v) => insert(db, v), { sliceMs: 0 });
    let ended = false;
    void run.then(() => (ended = true));
    await slicesSettled(db, 10_000);
    expect(ended).toBe(true);
    expect(values(db.$client)).toEqual([1, 2, 3, 4]);
  });
});
