import { describe, expect, it } from 'vitest';
import { Clocks, TeamClock } from './clock.js';

const T = Date.UTC(2026, 0, 15, 12, 0, 0);

/** A wall clock the test moves by hand. */
function wall(start = T) {
  let at = start;
  return { now: () => at, move: (ms: number) => (at += ms) };
}

describe('TeamClock', () => {
  it('follows the wall clock until moved', () => {
    const w = wall();
    const c = new TeamClock(w.now);
    expect(c.now()).toBe(T);
    w.move(1000);
    expect(c.now()).toBe(T + 1000);
    expect(c.state()).toEqual({ now: T + 1000, frozen: false, offsetMs: 0 });
  });

  it('freezes, advances while frozen, and runs on from where it stood when unfrozen', () => {
    const w = wall();
    const c = new TeamClock(w.now);
    c.freeze();
    w.move(5000);
    expect(c.now()).toBe(T);
    c.advance(60_000);
    expect(c.now()).toBe(T + 60_000);
    expect(c.state()).toEqual({ now: T + 60_000, frozen: true, offsetMs: 55_000 });
    c.unfreeze();
    w.move(10);
    expect(c.now()).toBe(T + 60_010);
    expect(c.state().frozen).toBe(false);
  });

  it('advances a running clock by an offset, set jumps to an instant, reset goes back to real time', () => {
    const w = wall();
    const c = new TeamClock(w.now);
    c.advance(3_600_000);
    expect(c.now()).toBe(T + 3_600_000);
    c.set(T + 10);
    expect(c.now()).toBe(T + 10);
    c.freeze();
    c.set(T + 99);
    expect(c.state()).toEqual({ now: T + 99, frozen: true, offsetMs: 99 });
    c.reset();
    expect(c.state()).toEqual({ now: T, frozen: false, offsetMs: 0 });
  });

  it('starts frozen when asked to', () => {
    const c = new TeamClock(wall().now, { frozenAt: 42 });
    expect(c.state()).toEqual({ now: 42, frozen: true, offsetMs: 42 - T });
  });
});

describe('Clocks', () => {
  it('gives each team its own clock: moving one never moves another', () => {
    const w = wall();
    const clocks = new Clocks(w.now);
    clocks.team(1).advance(86_400_000);
    clocks.team(2).freeze();
    w.move(500);
    expect(clocks.now(1)).toBe(T + 86_400_500);
    expect(clocks.now(2)).toBe(T);
    expect(clocks.now(3)).toBe(T + 500);
    expect(clocks.real()).toBe(T + 500);
  });

  it('real() ignores every team clock', () => {
    const w = wall();
    const clocks = new Clocks(w.now, { frozenAt: 7 });
    clocks.team(1).advance(1000);
    expect(clocks.now(1)).toBe(1007);
    expect(clocks.real()).toBe(T);
  });

  it('forget drops one team clock (or all) back to the start setting', () => {
    const clocks = new Clocks(wall().now, { frozenAt: 7 });
    clocks.team(1).advance(1000);
    clocks.team(2).advance(2000);
    clocks.forget(1);
    expect(clocks.now(1)).toBe(7);
    expect(clocks.now(2)).toBe(2007);
    clocks.forget();
    expect(clocks.now(2)).toBe(7);
  });
});
