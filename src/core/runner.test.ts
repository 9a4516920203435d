import { describe, expect, it } from 'vitest';
import { Clocks } from './clock.js';
import { DueRunner, type DueJob } from './runner.js';

const T = Date.UTC(2026, 0, 15, 12, 0, 0);

/** An in-memory job: items {team, id, at}; run marks them done (or throws while `broken`). */
function memoryJob(items: Array<{ team: number; id: number; at: number }>, opts: { broken?: Set<number>; brokenGiveUp?: boolean } = {}) {
  const done = new Map<number, string>();
  const runs: Array<[number, number, number]> = [];
  let clocks: Clocks;
  const pending = (team: number) => items.filter((i) => i.team === team && !done.has(i.id));
  const job: DueJob = {
    name: 'memory',
    teams: () => [...new Set(items.filter((i) => !done.has(i.id)).map((i) => i.team))],
    nextDue: (team, until) => {
      const ats = pending(team).filter((i) => i.at <= until).map((i) => i.at);
      return ats.length ? Math.min(...ats) : undefined;
    },
    due: (team, now) =>
      pending(team)
        .filter((i) => i.at <= now)
        .sort((a, b) => a.at - b.at || a.id - b.id),
    run: async (team, item) => {
      runs.push([team, item.id, clocks.now(team)]);
      await Promise.resolve();
      if (opts.broken?.has(item.id)) throw new Error(`broken ${item.id}`);
      done.set(item.id, 'ran');
      return 'ran';
    },
    giveUp: (_team, item) => {
      if (opts.brokenGiveUp) throw new Error('cannot even give up');
      done.set(item.id, 'gave up');
    },
  };
  return { job, done, runs, bind: (c: Clocks) => (clocks = c) };
}

function setup(items: Array<{ team: number; id: number; at: number }>, opts?: Parameters<typeof memoryJob>[1]) {
  const clocks = new Clocks(() => T, { frozenAt: T });
  const errors: string[] = [];
  const runner = new DueRunner(clocks, (_e, where) => errors.push(where));
  const m = memoryJob(items, opts);
  m.bind(clocks);
  runner.add(m.job);
  return { clocks, runner, errors, ...m };
}

describe('DueRunner', () => {
  it('runs nothing of a paused team (one being written whole) until it is released', async () => {
    const { runner, runs } = setup([
      { team: 1, id: 1, at: T },
      { team: 2, id: 2, at: T },
    ]);
    let held = true;
    runner.pauseWhile((team) => held && team === 2);
    expect((await runner.runDue()).ran.map((r) => r.teamId)).toEqual([1]);
    expect((await runner.runDue(2)).ran).toEqual([]);
    held = false;
    expect((await runner.runDue()).ran.map((r) => r.teamId)).toEqual([2]);
    expect(runs.map((r) => r[1])).toEqual([1, 2]);
  });

  it("runs each team's work by that team's own clock", async () => {
    const { clocks, runner, done } = setup([
      { team: 1, id: 1, at: T + 60_000 },
      { team: 2, id: 2, at: T + 60_000 },
    ]);
    clocks.team(1).advance(60_000);
    const report = await runner.runDue();
    expect(report.ran).toEqual([{ job: 'memory', teamId: 1, id: 1, outcome: 'ran' }]);
    expect([...done.keys()]).toEqual([1]);
  });

  it('advance stops at each due time on the way, so each item runs at its own time, and lands on now + ms', async () => {
    const { clocks, runner, runs } = setup([
      { team: 1, id: 1, at: T + 45_000 },
      { team: 1, id: 2, at: T + 15_000 },
      { team: 1, id: 3, at: T + 120_000 },
      { team: 2, id: 4, at: T + 15_000 },
    ]);
    const report = await runner.advance(1, 60_000);
    expect(report.ran.map((r) => r.id)).toEqual([2, 1]);
    expect(runs).toEqual([
      [1, 2, T + 15_000],
      [1, 1, T + 45_000],
    ]);
    expect(clocks.now(1)).toBe(T + 60_000);
    expect(clocks.now(2)).toBe(T); // team 2's clock did not move
  });

  it('gives up on a poison item after maxTries throwing runs instead of retrying it forever; others still run', async () => {
    const { clocks, runner, done, errors } = setup(
      [
        { team: 1, id: 1, at: T },
        { team: 1, id: 2, at: T },
      ],
      { broken: new Set([1]) },
    );
    clocks.team(1).advance(1);
    const first = await runner.runDue();
    expect(first.ran.map((r) => r.id)).toEqual([2]);
    expect(first.errors).toHaveLength(1);
    await runner.runDue();
    expect(done.has(1)).toBe(false);
    await runner.runDue(); // third throwing try: handed to giveUp
    expect(done.get(1)).toBe('gave up');
    expect(errors).toEqual(['memory:1:1', 'memory:1:1', 'memory:1:1']);
    expect((await runner.runDue()).ran).toEqual([]);
  });

  it('quarantines an item whose giveUp throws too, and advance does not spin on it', async () => {
    const { runner, runs, errors } = setup([{ team: 1, id: 1, at: T + 1000 }], { broken: new Set([1]), brokenGiveUp: true });
    await runner.advance(1, 5000);
    expect(runs).toHaveLength(3);
    expect(errors.at(-1)).toBe('memory:1:1 (giving up)');
    await runner.runDue();
    expect(runs).toHaveLength(3);
  });

  it('never runs two passes at once: a tick and an advance are serialized', async () => {
    const { clocks, runner, runs } = setup([{ team: 1, id: 1, at: T }]);
    clocks.team(1).advance(1);
    const [a, b] = await Promise.all([runner.runDue(), runner.advance(1, 0)]);
    expect(runs).toHaveLength(1);
    expect(a.ran.length + b.ran.length).toBe(1);
  });
});
