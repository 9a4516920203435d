import { describe, expect, it } from 'vitest';
import { teamEpoch } from '../../src/db/epochs.js';
import { openDb } from '../../src/db/open.js';
import { TeamGate } from '../../src/db/team-gate.js';

// The team gate (src/db/team-gate.ts, decision R7): whole-team operations one at a time, their
// teams held while they run, everyone else let through.

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('TeamGate', () => {
  it('holds only the running operation’s team; pass waits for its end, other teams pass at once', async () => {
    const db = openDb(':memory:');
    const gate = new TeamGate(db);
    const work = deferred();
    const events: string[] = [];
    const op = gate.run(7, async () => {
      events.push('op started');
      await work.promise;
      events.push('op ended');
      return 'done';
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(gate.holds(7)).toBe(true);
    expect(gate.holds(8)).toBe(false);
    expect(gate.pass(8)).toBeUndefined();
    const waiting = gate.pass(7)!.then(() => events.push('team 7 passed'));
    const quiet = gate.quiet()!.then(() => events.push('quiet'));
    work.resolve();
    expect(await op).toBe('done');
    await Promise.all([waiting, quiet]);
    expect(events).toEqual(['op started', 'op ended', 'team 7 passed', 'quiet']);
    expect(gate.holds(7)).toBe(false);
    expect(gate.pass(7)).toBeUndefined();
    expect(gate.quiet()).toBeUndefined();
  });

  it('runs operations one at a time in order, a failed one included; "all" holds every team', async () => {
    const db = openDb(':memory:');
    const gate = new TeamGate(db);
    const order: string[] = [];
    const first = deferred();
    const a = gate.run('all', async () => {
      order.push('a');
      expect(gate.holds(1) && gate.holds(99)).toBe(true);
      await first.promise;
      throw new Error('a failed');
    });
    const b = gate.run(() => (order.push('b picks its team'), 2), async () => {
      order.push('b');
      expect(gate.holds(2) && !gate.holds(1)).toBe(true);
    });
    await Promise.resolve();
    expect(order).toEqual(['a']);
    first.resolve();
    await expect(a).rejects.toThrow('a failed');
    await b;
    expect(order).toEqual(['a', 'b picks its team', 'b']);
  });

  it('moves the team’s epoch when an operation starts and when it ends, and calls release hooks before letting the team pass', async () => {
    const db = openDb(':memory:');
    const gate = new TeamGate(db);
    const released: boolean[] = [];
    gate.onRelease(() => released.push(gate.holds(3)));
    const before = teamEpoch(db, 3);
    let during = '';
    await gate.run(3, async () => {
      during = teamEpoch(db, 3);
    });
    expect(during).not.toBe(before);
    expect(teamEpoch(db, 3)).not.toBe(during);
    expect(teamEpoch(db, 4)).toBe('0.0');
    expect(released).toEqual([true]);
  });
});
