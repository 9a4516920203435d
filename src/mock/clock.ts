import { randomUUID } from 'node:crypto';

/**
 * The only source of time and random identifiers in the app, so tests and /__mock/clock can
 * reproduce anything. `stamp()` is what writes use: it never returns the same millisecond twice,
 * so the `updated` date cursor of list endpoints can never skip records that share a timestamp.
 */
export interface Clock {
  /** Current time in epoch milliseconds (real time plus any offset, or a frozen instant). */
  now(): number;
  /** A write timestamp: now(), but strictly greater than every stamp handed out before. */
  stamp(): number;
  /** Freeze time at `ms` (epoch milliseconds). */
  freeze(ms: number): void;
  /** Move time forward (or back) by `ms`; works frozen or running. */
  advance(ms: number): void;
  /** Let time run again from where it stands (keeps the offset from the wall clock). */
  unfreeze(): void;
  state(): { now: number; frozen: boolean; offsetMs: number };
}

export function systemClock(wall: () => number = Date.now): Clock {
  let frozenAt: number | undefined;
  let offset = 0;
  let last = 0;
  const now = () => (frozenAt !== undefined ? frozenAt : wall() + offset);
  return {
    now,
    stamp() {
      const t = now();
      last = t > last ? t : last + 1;
      return last;
    },
    freeze(ms) {
      frozenAt = ms;
    },
    advance(ms) {
      if (frozenAt !== undefined) frozenAt += ms;
      else offset += ms;
    },
    unfreeze() {
      if (frozenAt !== undefined) offset = frozenAt - wall();
      frozenAt = undefined;
    },
    state: () => ({ now: now(), frozen: frozenAt !== undefined, offsetMs: offset }),
  };
}

export interface IdSource {
  uuid(): string;
}

export const randomIds: IdSource = { uuid: () => randomUUID() };

/** Deterministic UUID-shaped ids for tests: 00000000-0000-4000-8000-000000000001, ... */
export function sequentialIds(start = 1): IdSource {
  let n = start;
  return {
    uuid() {
      const hex = (n++).toString(16).padStart(12, '0');
      return `00000000-0000-4000-8000-${hex}`;
    },
  };
}

export { toIso } from '../domain/time.js';
