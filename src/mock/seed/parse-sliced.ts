import { setImmediate as nextTurn } from 'node:timers/promises';
import type { z } from 'zod';
import { fromZodError, MAX_PROBLEMS } from '../../core/errors.js';
import { SLICE_MS } from '../../db/slices.js';
import { bodyOrEmpty, wireParse } from '../../wire/primitives.js';
import { snapshotBody, type SnapshotBody } from '../snapshot/schemas.js';
import { contact, inbox, member, stateRow, TEAM_LIMITS, teamBody, type TeamBody } from './schemas.js';

// A team document (POST /__mock/teams, PUT /__mock/snapshot: up to 80 MiB) takes seconds to
// parse in one go, so it is parsed in two steps: the document with each long list cut to its
// first item (a few ms: the lists' counts are checked there, and a list over its maximum is left
// whole for that count to refuse before any item is parsed), then the lists' other items one by
// one with the item schemas, yielding to the event loop every SLICE_MS. The answer is the one
// parse of the whole document would give: its output, or its 400 with the issues in zod's order.

type Path = Array<string | number>;
type Issue = z.core.$ZodIssue;

/** Where an issue falls in zod's parse order, from its path: compared element by element. */
type Order = (path: ReadonlyArray<PropertyKey>) => number[];

/** A long list of the document: the first parse takes its first item, the slices the others. */
interface LongList {
  path: Path;
  items: readonly unknown[];
  item: z.ZodType;
}

interface Cut {
  doc: unknown;
  lists: LongList[];
  order: Order;
}

/** A team's long lists, each item's schema and the list's maximum; members and inboxes too: at their maximum each takes some 60 ms in one parse. */
const TEAM_LISTS = [
  ['members', member, TEAM_LIMITS.members],
  ['inboxes', inbox, TEAM_LIMITS.inboxes],
  ['contacts', contact, TEAM_LIMITS.contacts],
] as const;

const teamRequest = bodyOrEmpty(teamBody);

/** The body of POST /__mock/teams, as `bodyOrEmpty(teamBody)` parses it; throws its 400 ApiError. */
export async function parseTeamBody(raw: unknown): Promise<TeamBody> {
  return parseCut(teamRequest, cutTeam(raw, [], Object.keys(teamBody.shape)));
}

/** The body of PUT /__mock/snapshot, as `snapshotBody` parses it; throws its 400 ApiError. */
export async function parseSnapshotBody(raw: unknown): Promise<SnapshotBody> {
  const team = isObject(raw) && Object.hasOwn(raw, 'team') ? cutTeam(raw.team, ['team'], Object.keys(snapshotBody.shape.team.shape)) : undefined;
  const doc = team ? { ...(raw as object), team: team.doc } : raw;
  return parseCut(snapshotBody, { doc, lists: team?.lists ?? [], order: objectOrder(Object.keys(snapshotBody.shape), { team: team?.order }) });
}

/** `team` with its long lists (members, inboxes, contacts, each state table's rows) cut. */
function cutTeam(team: unknown, at: Path, keys: string[]): Cut {
  const lists: LongList[] = [];
  if (!isObject(team)) return { doc: team, lists, order: objectOrder(keys) };
  const doc: Record<string, unknown> = { ...team };
  for (const [key, item, max] of TEAM_LISTS) {
    if (Object.hasOwn(team, key)) doc[key] = cutList(team[key], [...at, key], item, max, lists);
  }
  const state = isObject(team.state) ? team.state : undefined;
  const tables = state ? Object.keys(state) : [];
  if (state && tables.length <= TEAM_LIMITS.stateTables) {
    // zod's record skips a "__proto__" key, so its rows are no part of the output: left as they are.
    doc.state = Object.fromEntries(tables.map((t) => [t, t === '__proto__' ? state[t] : cutList(state[t], [...at, 'state', t], stateRow, TEAM_LIMITS.stateRows, lists)]));
  }
  return { doc, lists, order: objectOrder(keys, { state: (path) => (path.length ? [tables.indexOf(String(path[0]))] : []) }) };
}

function cutList(value: unknown, path: Path, item: z.ZodType, max: number, lists: LongList[]): unknown {
  if (!Array.isArray(value) || value.length < 2 || value.length > max) return value;
  lists.push({ path, items: value, item });
  // One item stays, so an array rule on emptiness (members' min(1)) reads as on the whole list.
  return value.slice(0, 1);
}

async function parseCut<S extends z.ZodType>(schema: S, { doc, lists, order }: Cut): Promise<z.output<S>> {
  let sliceStart = performance.now();
  const first = schema.safeParse(doc, wireParse);
  const listIssues: Issue[] = [];
  // Once MAX_PROBLEMS list issues are found, no later one is among the issues the 400 lists.
  for (const list of lists) {
    const out = first.success ? (at(first.data, list.path) as unknown[]) : undefined;
    for (let i = 1; i < list.items.length && listIssues.length < MAX_PROBLEMS; i++) {
      if (performance.now() - sliceStart >= SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
      const parsed = list.item.safeParse(list.items[i], wireParse);
      if (parsed.success) out?.push(parsed.data);
      else for (const issue of parsed.error.issues) listIssues.push({ ...issue, path: [...list.path, i, ...issue.path] });
    }
  }
  if (first.success && listIssues.length === 0) return first.data;
  // Stable: a list's issues follow those of its first item, as in one parse.
  const issues = [...(first.success ? [] : first.error.issues), ...listIssues]
    .map((issue) => ({ issue, rank: order(issue.path) }))
    .sort((a, b) => compareRanks(a.rank, b.rank))
    .map((r) => r.issue);
  throw fromZodError({ issues }, [], 'body');
}

/** A strict object parses its keys in its shape's order, then reports its unknown keys. */
function objectOrder(keys: string[], nested: Record<string, Order | undefined> = {}): Order {
  return (path) => {
    if (path.length === 0) return [keys.length];
    const key = String(path[0]);
    return [keys.indexOf(key), ...(nested[key]?.(path.slice(1)) ?? [])];
  };
}

/** Element by element; a path's rank that is a prefix of another's ties with it. */
function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function at(node: unknown, path: Path): unknown {
  return path.reduce<unknown>((n, key) => (n as Record<string | number, unknown>)[key], node);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
