import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterCommit, inTransaction, openDb, setEffectErrorHandler } from '../../src/db/open.js';

function db() {
  const d = openDb(':memory:');
  d.$client.exec('CREATE TABLE t (v INTEGER)');
  return d;
}
const rows = (d: ReturnType<typeof db>) => d.$client.prepare('SELECT v FROM t ORDER BY v').all();

describe('inTransaction and afterCommit (the after-commit seam)', () => {
  it('runs effects once the outermost transaction commits, in registration order, after the data is visible', () => {
    const d = db();
    const seen: unknown[] = [];
    inTransaction(d, () => {
      d.$client.prepare('INSERT INTO t VALUES (1)').run();
      afterCommit(d, () => seen.push(['first', rows(d)]));
      inTransaction(d, () => afterCommit(d, () => seen.push('nested')));
      afterCommit(d, () => seen.push('last'));
      expect(seen).toEqual([]); // nothing runs inside the transaction
    });
    expect(seen).toEqual([['first', [{ v: 1 }]], 'nested', 'last']);
  });

  it('never runs the effects of a rolled-back transaction', () => {
    const d = db();
    const seen: string[] = [];
    expect(() =>
      inTransaction(d, () => {
        d.$client.prepare('INSERT INTO t VALUES (1)').run();
        afterCommit(d, () => seen.push('x'));
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(seen).toEqual([]);
    expect(rows(d)).toEqual([]);
  });

  it('drops the effects of a nested level that rolled back while the outer level commits', () => {
    const d = db();
    const seen: string[] = [];
    inTransaction(d, () => {
      afterCommit(d, () => seen.push('outer'));
      try {
        inTransaction(d, () => {
          d.$client.prepare('INSERT INTO t VALUES (2)').run();
          afterCommit(d, () => seen.push('inner'));
          throw new Error('inner refused');
        });
      } catch {
        // the savepoint rolled back; the outer transaction goes on
      }
      d.$client.prepare('INSERT INTO t VALUES (3)').run();
    });
    expect(seen).toEqual(['outer']);
    expect(rows(d)).toEqual([{ v: 3 }]);
  });

  it('runs an effect at once outside a transaction (the write already committed)', () => {
    const d = db();
    const seen: string[] = [];
    afterCommit(d, () => seen.push('now'));
    expect(seen).toEqual(['now']);
  });

  it('reports a failing effect without failing the committed transaction or the effects after it', () => {
    const d = db();
    const reported: unknown[] = [];
    setEffectErrorHandler(d, (e) => reported.push((e as Error).message));
    const seen: string[] = [];
    const result = inTransaction(d, () => {
      d.$client.prepare('INSERT INTO t VALUES (1)').run();
      afterCommit(d, () => {
        throw new Error('wake-up failed');
      });
      afterCommit(d, () => seen.push('after'));
      return 'answer';
    });
    expect(result).toBe('answer');
    expect(reported).toEqual(['wake-up failed']);
    expect(seen).toEqual(['after']);
    expect(rows(d)).toEqual([{ v: 1 }]);
  });

  it('starts the outermost transaction IMMEDIATE: the write lock is taken before the first read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hm-tx-'));
    const path = join(dir, 'db.sqlite');
    const a = openDb(path);
    a.$client.exec('CREATE TABLE t (v INTEGER)');
    const b = openDb(path);
    b.$client.pragma('busy_timeout = 0');
    inTransaction(a, () => {
      a.$client.prepare('SELECT * FROM t').all(); // a read only: a deferred transaction would hold no write lock yet
      expect(() => b.$client.prepare('INSERT INTO t VALUES (9)').run()).toThrow(/locked|busy/i);
    });
    b.$client.prepare('INSERT INTO t VALUES (9)').run();
    a.$client.close();
    b.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
