import { and, asc, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Clocks } from '../../core/clock.js';
import type { IdSource } from '../../core/ids.js';
import { isTollFree } from '../../domain/phone.js';
import { apiKeys, apiSecrets, inboxMembers, inboxes, members, teams, teamSpecParts } from '../../db/schema.js';
import { notInJson } from '../../db/json-in.js';
import { inTransaction, type Db } from '../../db/open.js';
import { checkState, CREDENTIAL_TABLES, insertState, type ReadyState } from '../snapshot/insert-rows.js';
import { runSteps, type Step } from '../../db/slices.js';
import { teamShapeProblem } from '../teams/check.js';
import type { SeedFile, SeedTeam } from './schemas.js';
import { seedDifferences } from './compare.js';
import { contentSteps } from './content.js';

export const DEFAULT_TEAM_ID = 1;

/**
 * The built-in default tenant: one team, an SMS inbox on a local number, an SMS inbox on a
 * toll-free number (group MMS is refused there), an email inbox, and three members.
 * Member 3 is deliberately not a member of the SMS inboxes, to exercise "creator not in inbox".
 */
export function defaultTeam(config: Config): SeedTeam {
  return {
    id: DEFAULT_TEAM_ID,
    name: 'Heymarket Mock Team',
    list_size: 10000,
    api_secrets: [{ secret_id: config.secretId, secret_key: config.secretKey }],
    api_keys: [config.apiKey],
    members: [
      { id: 1, first_name: 'Alice', last_name: 'Admin', email: 'alice@example.com', phone: '14155550101', role_id: 1 },
      { id: 2, first_name: 'Bob', last_name: 'Member', email: 'bob@example.com', phone: '14155550102', role_id: 4 },
      { id: 3, first_name: 'Carol', last_name: 'Email', email: 'carol@example.com', phone: '14155550103', role_id: 4 },
    ],
    inboxes: [
      { id: 10, name: 'Support', type: 'sms', phone: '14155550100', members: [1, 2], auto_assignable: true },
      { id: 11, name: 'Marketing (toll-free)', type: 'sms', phone: '18885550100', members: [1, 2], auto_assignable: false },
      { id: 12, name: 'Email', type: 'email', email: 'support@example.com', members: [1, 3], auto_assignable: true },
    ],
    fields: [],
    tags: [],
    contacts: [],
    // The two documented examples (surveys.md), with their documented dates.
    surveys: [
      {
        id: 10,
        name: 'Post-purchase NPS',
        type: 'nps',
        question: 'How likely are you to recommend us to a friend? Reply with a number from 0 to 10.',
        created: '2023-06-01T12:00:00Z',
        updated: '2024-01-20T09:15:00Z',
      },
      {
        id: 11,
        name: 'Support CSAT',
        type: 'csat',
        question: 'How satisfied were you with your support experience? Reply 1 (very unsatisfied) to 5 (very satisfied).',
        created: '2023-08-14T10:30:00Z',
        updated: '2024-02-05T11:00:00Z',
      },
    ],
    webhooks: [],
  };
}

/** Every team the store starts with: the default team (unless the seed file drops it) and the file's teams. */
export function seedTeams(config: Config, file: SeedFile | undefined): SeedTeam[] {
  const list = [...(file?.include_default_team === false ? [] : [defaultTeam(config)]), ...(file?.teams ?? [])];
  assertUnique(list);
  return list;
}

function assertUnique(list: SeedTeam[]) {
  const seen = new Map<string, string>();
  const claim = (kind: string, value: string | number, owner: string) => {
    const key = `${kind}:${value}`;
    const prior = seen.get(key);
    if (prior) throw new Error(`seed: ${kind} ${value} is used by ${prior} and ${owner}`);
    seen.set(key, owner);
  };
  for (const t of list) {
    const owner = `team ${t.id}`;
    claim('team id', t.id, owner);
    t.members.forEach((m) => claim('member id', m.id, owner));
    t.inboxes.forEach((i) => claim('inbox id', i.id, owner));
    t.surveys.forEach((s) => claim('survey id', s.id, owner));
    t.api_secrets.forEach((s) => claim('API Secret ID', s.secret_id, owner));
    t.api_keys.forEach((k) => claim('API key', k, owner));
    const memberIds = new Set(t.members.map((m) => m.id));
    for (const i of t.inboxes) {
      for (const m of i.members) if (!memberIds.has(m)) throw new Error(`seed: inbox ${i.id} lists member ${m}, which is not in team ${t.id}`);
      if (i.type === 'sms' && !i.phone) throw new Error(`seed: SMS inbox ${i.id} needs a phone`);
      if (i.type === 'email' && !i.email) throw new Error(`seed: email inbox ${i.id} needs an email`);
    }
    const problem = teamShapeProblem(t);
    if (problem) throw new Error(`seed: team ${t.id}: ${problem.message}`);
  }
}

/** How teamSteps writes a team. */
export interface TeamWrite {
  /** insert: a new team row first; update: the stored row (a reset, a restore) takes the team's name, list size and date in the last step. */
  row: 'insert' | 'update';
  /** Keep `t` as the team's starting state (teams.spec and team_spec_parts; with row: insert). */
  spec?: boolean;
  /** With `t.state`: its rows as checkState made them ready. */
  ready?: ReadyState;
}

/**
 * Writes one team as steps (src/db/slices.ts), into a team that owns no rows yet: run at once
 * (start-up) or in slices (the control plane). A team with `state` gets exactly those rows (a
 * snapshot) instead of the seed-format parts. Its credentials come last, in one step.
 */
export function* teamSteps(db: Db, t: SeedTeam, clock: Clocks, ids: IdSource, w: TeamWrite): Generator<Step> {
  const now = clock.now(t.id);
  const created = t.created !== undefined ? Date.parse(t.created) : now;
  if (w.row === 'insert') {
    yield () => void db.insert(teams).values({ id: t.id, name: t.name, listSize: t.list_size, created, spec: w.spec ? specHead(t) : null }).run();
    if (w.spec) yield* specPartSteps(db, t);
  }
  const last = (credentials: () => void) => () => {
    db.delete(apiSecrets).where(eq(apiSecrets.teamId, t.id)).run();
    db.delete(apiKeys).where(eq(apiKeys.teamId, t.id)).run();
    credentials();
    if (w.row === 'update') db.update(teams).set({ name: t.name, listSize: t.list_size, created }).where(eq(teams.id, t.id)).run();
  };
  if (t.state) {
    if (!w.ready) throw new Error(`team ${t.id}: its state must be checked (checkState) before it is written`);
    yield* insertState(db, w.ready, (name) => !CREDENTIAL_TABLES.has(name));
    yield last(() => runSteps(db, insertState(db, w.ready!, (name) => CREDENTIAL_TABLES.has(name))));
    return;
  }
  for (const m of t.members) {
    yield () =>
      void db
        .insert(members)
        .values({ id: m.id, teamId: t.id, firstName: m.first_name, lastName: m.last_name, email: m.email, phone: m.phone, roleId: m.role_id, created: now, updated: now, userCreated: now, userUpdated: now })
        .run();
  }
  for (const i of t.inboxes) {
    yield () => {
      const phone = i.type === 'sms' ? (i.phone ?? '') : '';
      db.insert(inboxes)
        .values({
          id: i.id,
          teamId: t.id,
          name: i.name,
          kind: i.type,
          phone,
          phones: i.phones ?? (phone ? [phone] : []),
          email: i.email ?? null,
          tollFree: i.toll_free ?? (phone ? isTollFree(phone) : false),
          autoAssignable: i.auto_assignable,
          widgetCode: `hm-widget-${i.id}`,
          allowedDomains: [],
          created: now,
        })
        .run();
      for (const m of i.members) db.insert(inboxMembers).values({ teamId: t.id, inboxId: i.id, memberId: m }).run();
    };
  }
  yield* contentSteps(db, t, clock, ids);
  yield last(() => {
    for (const s of t.api_secrets) db.insert(apiSecrets).values({ secretId: s.secret_id, teamId: t.id, secretKey: s.secret_key }).run();
    for (const k of t.api_keys) db.insert(apiKeys).values({ key: k, teamId: t.id }).run();
  });
}

/**
 * Writes one team at once (inside the caller's transaction; start-up and the start-up recovery).
 * `field`: where the team sits in a request body, for the field an error names.
 */
export function insertTeam(db: Db, t: SeedTeam, clock: Clocks, ids: IdSource, opts: { spec?: boolean; field?: string } = {}) {
  const ready: ReadyState = { tables: [] };
  if (t.state) runSteps(db, checkState(db, t.id, t.state, opts.field ? `${opts.field}.state` : 'state', ready));
  runSteps(db, teamSteps(db, t, clock, ids, { row: 'insert', spec: opts.spec ?? false, ready }));
}

/** Items per part of a stored spec (team_spec_parts): a part is parsed in one step. */
const SPEC_PART_ITEMS = 500;

/** What teams.spec holds: the team without its contacts and state rows (their tables named, empty). */
function specHead(t: SeedTeam): Record<string, unknown> {
  const state = t.state ? Object.fromEntries(Object.keys(t.state).map((name) => [name, []])) : undefined;
  return { ...t, contacts: [], ...(state ? { state } : {}) } as unknown as Record<string, unknown>;
}

function* specPartSteps(db: Db, t: SeedTeam): Generator<Step> {
  let seq = 0;
  const write = (part: { contacts?: unknown[]; table?: string; rows?: unknown[] }) => {
    const n = seq++;
    return () => void db.insert(teamSpecParts).values({ team: t.id, seq: n, part }).run();
  };
  for (let i = 0; i < t.contacts.length; i += SPEC_PART_ITEMS) yield write({ contacts: t.contacts.slice(i, i + SPEC_PART_ITEMS) });
  for (const [table, rows] of Object.entries(t.state ?? {})) {
    for (let i = 0; i < rows.length; i += SPEC_PART_ITEMS) yield write({ table, rows: rows.slice(i, i + SPEC_PART_ITEMS) });
  }
}

/** What start-up did with one seed team. */
export interface SeedOutcome {
  teamId: number;
  /** Written now (it was not stored). */
  created: boolean;
  /** How the seed differs from the stored team that was kept (see seedDifferences); empty when created. */
  differences: string[];
}

/**
 * Writes the seed teams that are missing (all of them into an empty store), in one transaction.
 * A team already stored keeps its data, but its credentials become exactly the configured ones:
 * API Secrets and keys it held before and no longer has in the configuration stop working.
 */
export function applySeed(db: Db, list: SeedTeam[], clock: Clocks, ids: IdSource): SeedOutcome[] {
  return inTransaction(db, () =>
    list.map((t): SeedOutcome => {
      const exists = db.select({ id: teams.id }).from(teams).where(sql`${teams.id} = ${t.id}`).get();
      if (!exists) {
        insertTeam(db, t, clock, ids);
        return { teamId: t.id, created: true, differences: [] };
      }
      const differences = seedDifferences(db, t);
      replaceCredentials(db, t);
      return { teamId: t.id, created: false, differences };
    }),
  );
}

/** The team's API Secrets and keys become exactly the seed's (taken over from another stored team if one held them). */
function replaceCredentials(db: Db, t: SeedTeam) {
  const secretIds = t.api_secrets.map((x) => x.secret_id);
  db.delete(apiSecrets)
    .where(and(eq(apiSecrets.teamId, t.id), secretIds.length ? notInJson(apiSecrets.secretId, secretIds) : undefined))
    .run();
  for (const x of t.api_secrets) {
    db.insert(apiSecrets)
      .values({ secretId: x.secret_id, teamId: t.id, secretKey: x.secret_key })
      .onConflictDoUpdate({ target: apiSecrets.secretId, set: { teamId: t.id, secretKey: x.secret_key } })
      .run();
  }
  db.delete(apiKeys)
    .where(and(eq(apiKeys.teamId, t.id), t.api_keys.length ? notInJson(apiKeys.key, t.api_keys) : undefined))
    .run();
  for (const k of t.api_keys) db.insert(apiKeys).values({ key: k, teamId: t.id }).onConflictDoUpdate({ target: apiKeys.key, set: { teamId: t.id } }).run();
}

/** A stored team as the start-up banner lists it. */
export interface TeamSummary {
  id: number;
  name: string;
  inboxes: Array<{ id: number; name: string; kind: 'sms' | 'email'; address: string }>;
}

/** Every stored team with its inboxes, by id. */
export function storedTeams(db: Db): TeamSummary[] {
  const byTeam = new Map<number, TeamSummary['inboxes']>();
  for (const i of db.select().from(inboxes).orderBy(asc(inboxes.id)).all()) {
    const list = byTeam.get(i.teamId) ?? [];
    list.push({ id: i.id, name: i.name, kind: i.kind, address: i.kind === 'email' ? (i.email ?? '') : i.phone });
    byTeam.set(i.teamId, list);
  }
  return db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .orderBy(asc(teams.id))
    .all()
    .map((t) => ({ ...t, inboxes: byTeam.get(t.id) ?? [] }));
}

/** One stored team after start-up, and where it came from. */
export interface StartupTeam extends TeamSummary {
  /** `default`: the built-in team; `seed file`: a team of HEYMARKET_MOCK_SEED; `stored only`: in the database but seeded by neither. */
  origin: 'default' | 'seed file' | 'stored only';
  /** Written at this start (it was not stored). */
  created: boolean;
  /** How the seed's version differs from the stored team that was kept. */
  differences: string[];
}

/** The teams the server starts with, for the banner (src/cli.ts). */
export function startupTeams(db: Db, list: SeedTeam[], outcomes: SeedOutcome[], fileTeamIds: ReadonlySet<number>): StartupTeam[] {
  const byId = new Map(outcomes.map((o) => [o.teamId, o]));
  return storedTeams(db).map((t) => {
    const outcome = byId.get(t.id);
    const origin = !list.some((x) => x.id === t.id) ? 'stored only' : fileTeamIds.has(t.id) ? 'seed file' : 'default';
    return { ...t, origin, created: outcome?.created ?? false, differences: outcome?.differences ?? [] };
  });
}

/**
 * Steps that read the starting state of an API-created team into `out.spec`: teams.spec, then its
 * parts one by one (a team stored by an earlier version has all of it in teams.spec). The spec is
 * the team as validated and completed when it was created, not validated again (a reset of a team
 * of thousands of contacts would spend most of its time re-checking phone numbers).
 */
export function* specSteps(db: Db, teamId: number, out: { spec?: SeedTeam }): Generator<Step> {
  yield () => {
    const row = db.select({ spec: teams.spec }).from(teams).where(eq(teams.id, teamId)).get();
    if (row?.spec) out.spec = row.spec as unknown as SeedTeam;
  };
  if (!out.spec) return;
  const spec = out.spec;
  const part = db.$client.prepare('SELECT part FROM team_spec_parts WHERE team = ? AND seq = ?').pluck();
  for (let seq = 0, more = true; more; seq++) {
    const n = seq;
    yield () => {
      const text = part.get(teamId, n) as string | undefined;
      if (text === undefined) return void (more = false);
      const p = JSON.parse(text) as { contacts?: SeedTeam['contacts']; table?: string; rows?: Array<Record<string, unknown>> };
      if (p.contacts) spec.contacts.push(...p.contacts);
      if (p.table && p.rows) (spec.state![p.table] ??= []).push(...p.rows);
    };
  }
}
