import { createHash, randomInt } from 'node:crypto';
import { compilePattern, matchPath, type PathPattern } from './pattern.js';

/** A rule as POST /__mock/faults takes it (already validated). */
export interface FaultSpec {
  method?: string;
  path: string;
  status?: number;
  /** `body` was given (it may be any JSON, null included). */
  hasBody: boolean;
  body?: unknown;
  headers?: Record<string, string>;
  delay_ms?: number;
  drop?: boolean;
  times?: number;
  probability?: number;
  seed?: string | number;
}

export interface FaultRule {
  id: number;
  teamId: number;
  /** Upper case; null matches every method. */
  method: string | null;
  pattern: PathPattern;
  status: number | null;
  hasBody: boolean;
  body: unknown;
  headers: Record<string, string>;
  delayMs: number | null;
  drop: boolean;
  times: number | null;
  /** Answers left; null when `times` was not given (never spent). */
  remaining: number | null;
  probability: number;
  seed: string | number;
  /** Matching requests the rule answered (fired). */
  hits: number;
  /** Matching requests that drew from the rule's sequence (fired or not). */
  draws: number;
  created: string;
}

/** A team holds at most this many rules, so memory stays flat whatever a test suite does. */
export const MAX_RULES_PER_TEAM = 100;

/**
 * The fault rules of every team, in memory (one store per app; not in the database, so not in
 * snapshots). Rules are tried in the order they were added; the first matching rule whose draw
 * says "fire" answers the request. Decisions are synchronous, so two concurrent requests never
 * both take a rule's last `remaining`.
 */
export class FaultRules {
  private byTeam = new Map<number, FaultRule[]>();
  private nextId = 1;

  count(teamId: number): number {
    return this.byTeam.get(teamId)?.length ?? 0;
  }

  add(teamId: number, spec: FaultSpec, created: string): FaultRule {
    const rule: FaultRule = {
      id: this.nextId++,
      teamId,
      method: spec.method?.toUpperCase() ?? null,
      pattern: compilePattern(spec.path),
      status: spec.status ?? null,
      hasBody: spec.hasBody,
      body: spec.hasBody ? spec.body : undefined,
      headers: spec.headers ?? {},
      delayMs: spec.delay_ms ?? null,
      drop: spec.drop === true,
      times: spec.times ?? null,
      remaining: spec.times ?? null,
      probability: spec.probability ?? 1,
      // Not given: a random one, shown in the rule, so a run's outcomes can be replayed with it.
      seed: spec.seed ?? randomInt(0, 2 ** 32),
      hits: 0,
      draws: 0,
      created,
    };
    const list = this.byTeam.get(teamId) ?? [];
    list.push(rule);
    this.byTeam.set(teamId, list);
    return rule;
  }

  list(teamId: number): readonly FaultRule[] {
    return this.byTeam.get(teamId) ?? [];
  }

  get(teamId: number, id: number): FaultRule | undefined {
    return this.byTeam.get(teamId)?.find((r) => r.id === id);
  }

  /** Removes one rule of the team; false when the team has no rule with that id. */
  remove(teamId: number, id: number): boolean {
    const list = this.byTeam.get(teamId);
    const at = list?.findIndex((r) => r.id === id) ?? -1;
    if (!list || at === -1) return false;
    list.splice(at, 1);
    if (list.length === 0) this.byTeam.delete(teamId);
    return true;
  }

  /** Drops one team's rules (team reset, team deleted), or every team's (whole reset: ids restart at 1). */
  clear(teamId?: number) {
    if (teamId === undefined) {
      this.byTeam.clear();
      this.nextId = 1;
    } else {
      this.byTeam.delete(teamId);
    }
  }

  /** The rule that answers this request, if any; counts its hit and takes one of its `remaining`. */
  decide(teamId: number, method: string, path: string): FaultRule | undefined {
    const list = this.byTeam.get(teamId);
    if (!list) return undefined;
    for (const rule of list) {
      if (rule.remaining === 0) continue;
      if (rule.method !== null && rule.method !== method) continue;
      if (!matchPath(rule.pattern, path)) continue;
      if (!draw(rule)) continue;
      rule.hits++;
      if (rule.remaining !== null) rule.remaining--;
      return rule;
    }
    return undefined;
  }
}

/**
 * Whether the rule fires for its next matching request: the n-th draw is the first 32 bits of
 * sha256("<seed>:<n>") as a fraction of 2^32, compared with `probability`. The same seed and the
 * same sequence of matching requests give the same outcomes, in every process (no Math.random).
 */
export function draw(rule: Pick<FaultRule, 'seed' | 'probability' | 'draws'>): boolean {
  const n = rule.draws++;
  if (rule.probability >= 1) return true;
  if (rule.probability <= 0) return false;
  return drawFraction(rule.seed, n) < rule.probability;
}

export function drawFraction(seed: string | number, n: number): number {
  return createHash('sha256').update(`${seed}:${n}`).digest().readUInt32BE(0) / 2 ** 32;
}
