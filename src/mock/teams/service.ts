import { badData, notFound } from '../../core/errors.js';
import { inTransaction, type Db } from '../../db/open.js';
import type { AppContext } from '../../context.js';
import type { Step } from '../../db/slices.js';
import type { SeedTeam, TeamBody } from '../seed/schemas.js';
import { generateToken } from '../webhooks/service.js';
import * as store from './store.js';

// POST /__mock/teams and the credential routes. A created team is a seed team: the parts the body
// leaves out are generated in the default team's shape with ids, numbers and credentials no other
// team has (decision T2); the result is written by src/mock/rewrite (in slices, with the seed's own
// steps) and kept as the team's starting state for a reset.

const DEFAULT_SURVEYS = [
  {
    name: 'Post-purchase NPS',
    type: 'nps',
    question: 'How likely are you to recommend us to a friend? Reply with a number from 0 to 10.',
    created: '2023-06-01T12:00:00Z',
    updated: '2024-01-20T09:15:00Z',
  },
  {
    name: 'Support CSAT',
    type: 'csat',
    question: 'How satisfied were you with your support experience? Reply 1 (very unsatisfied) to 5 (very satisfied).',
    created: '2023-08-14T10:30:00Z',
    updated: '2024-02-05T11:00:00Z',
  },
];

/**
 * `n` consecutive ids of `table` from `base` when all are free (in the store and in `seedIds`,
 * the seed file's, which a full reset brings back), else the `n` after the highest one used.
 * Primary-key lookups only: the cost does not grow with the store.
 */
function block(db: Db, table: 'members' | 'inboxes' | 'surveys', seedIds: number[], base: number, n: number): number[] {
  const last = base + n - 1;
  const free = !store.anyIdIn(db, table, base, last) && !seedIds.some((id) => id >= base && id <= last);
  const start = free ? base : Math.max(base - 1, store.maxId(db, table), ...seedIds) + 1;
  return Array.from({ length: n }, (_, i) => start + i);
}

/** The first number `prefix` + 7 digits from `from` on that no inbox holds (nor one of `taken`). */
function freeNumber(db: Db, taken: Set<string>, prefix: string, from: number): string {
  for (let n = from; ; n++) {
    const candidate = `${prefix}${String(n % 10_000_000).padStart(7, '0')}`;
    if (!taken.has(candidate) && !store.numberInUse(db, candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

const hex = (uuid: string) => uuid.replace(/-/g, '');

/**
 * Steps that give each contact and webhook of a built team that has none its uuid or token, in
 * place: the spec holds them, so they are kept through a reset.
 */
export function* uuidSteps(spec: SeedTeam, ids: AppContext['ids']): Generator<Step> {
  const { contacts } = spec;
  for (let from = 0; from < contacts.length; from += 1000) {
    yield () => {
      for (let i = from; i < Math.min(from + 1000, contacts.length); i++) if (contacts[i]!.uuid === undefined) contacts[i] = { ...contacts[i]!, uuid: ids.uuid() };
    };
  }
  yield () => {
    spec.webhooks = spec.webhooks.map((w) => (w.token !== undefined ? w : { ...w, token: generateToken(ids) }));
  };
}

/** The team the body describes, with every absent part generated (ids avoid the store's and the seed file's); then uuidSteps. */
export function buildTeamSpec(ctx: AppContext, seed: SeedTeam[], body: TeamBody): SeedTeam {
  const { db, ids } = ctx;
  const id = body.id ?? Math.max(store.maxId(db, 'teams'), ...seed.map((t) => t.id)) + 1;
  const domain = `team-${id}.example`;

  let members = body.members;
  if (!members) {
    const [a, b, c] = block(db, 'members', seed.flatMap((t) => t.members.map((m) => m.id)), id * 10, 3) as [number, number, number];
    const phone = (m: number) => `1415${String(8_000_000 + (m % 2_000_000)).padStart(7, '0')}`;
    members = [
      { id: a, first_name: 'Alice', last_name: 'Admin', email: `alice@${domain}`, phone: phone(a), role_id: 1 },
      { id: b, first_name: 'Bob', last_name: 'Member', email: `bob@${domain}`, phone: phone(b), role_id: 4 },
      { id: c, first_name: 'Carol', last_name: 'Email', email: `carol@${domain}`, phone: phone(c), role_id: 4 },
    ];
  }

  let inboxes = body.inboxes;
  if (!inboxes) {
    const numbers = new Set(seed.flatMap((t) => t.inboxes.flatMap((i) => [...(i.phone ? [i.phone] : []), ...(i.phones ?? [])])));
    const [s, f, e] = block(db, 'inboxes', seed.flatMap((t) => t.inboxes.map((i) => i.id)), id * 100, 3) as [number, number, number];
    const all = members.map((m) => m.id);
    // The default team's shape: the admin and the first member on SMS, the admin and the third on email.
    const sms = body.members ? all : [members[0]!.id, members[1]!.id];
    const mail = body.members ? all : [members[0]!.id, members[2]!.id];
    const local = freeNumber(db, numbers, '1415', 7_000_000 + id);
    const tollFree = freeNumber(db, numbers, '1888', 7_000_000 + id);
    inboxes = [
      { id: s, name: 'Support', type: 'sms', phone: local, phones: [local], members: sms, auto_assignable: true, toll_free: false },
      { id: f, name: 'Marketing (toll-free)', type: 'sms', phone: tollFree, phones: [tollFree], members: sms, auto_assignable: false, toll_free: true },
      { id: e, name: 'Email', type: 'email', email: `support@${domain}`, members: mail, auto_assignable: true },
    ];
  }

  let surveys = body.surveys;
  if (!surveys) {
    const surveyIds = block(db, 'surveys', seed.flatMap((t) => t.surveys.map((x) => x.id)), id * 100, DEFAULT_SURVEYS.length);
    surveys = DEFAULT_SURVEYS.map((x, i) => ({ id: surveyIds[i]!, ...x }));
  }

  return {
    id,
    name: body.name ?? `Mock Team ${id}`,
    list_size: body.list_size ?? 10000,
    ...(body.created !== undefined ? { created: body.created } : {}),
    api_secrets: body.api_secrets ?? [{ secret_id: ids.uuid(), secret_key: hex(ids.uuid()) }],
    api_keys: body.api_keys ?? [`hm-key-${hex(ids.uuid())}`],
    members,
    inboxes,
    fields: body.fields ?? [],
    tags: body.tags ?? [],
    // Uuids and tokens are given by uuidSteps (100 000 uuids are a step too long for one turn).
    contacts: body.contacts ?? [],
    surveys,
    webhooks: body.webhooks ?? [],
    ...(body.state !== undefined ? { state: body.state } : {}),
  };
}

export function requireTeam(ctx: AppContext, teamId: number): store.TeamCredentials {
  const team = store.teamCredentials(ctx.db, teamId)[0];
  if (!team) throw notFound(`no team with id ${teamId}`, 'id');
  return team;
}

/** Adds an API Secret (a team holds at most two). */
export function addSecret(ctx: AppContext, teamId: number): { secret_id: string; secret_key: string } {
  return inTransaction(ctx.db, () => {
    const team = requireTeam(ctx, teamId);
    if (team.api_secrets.length >= 2) {
      throw badData(
        'api_secrets',
        `api_secrets: team ${teamId} holds two API Secrets already, the most the docs allow; revoke one first (DELETE /__mock/teams/${teamId}/secrets/{secret_id})`,
        'too_large',
      );
    }
    const secret = { secret_id: ctx.ids.uuid(), secret_key: hex(ctx.ids.uuid()) };
    store.addSecret(ctx.db, teamId, secret.secret_id, secret.secret_key);
    return secret;
  });
}

export function revokeSecret(ctx: AppContext, teamId: number, secretId: string) {
  inTransaction(ctx.db, () => {
    requireTeam(ctx, teamId);
    if (!store.removeSecret(ctx.db, teamId, secretId)) throw notFound(`team ${teamId} has no API Secret with ID ${secretId}`, 'secret_id');
  });
}

/** Rolls the legacy key: every key the team held is replaced by one new key (decision T3). */
export function rollApiKey(ctx: AppContext, teamId: number): { api_key: string } {
  return inTransaction(ctx.db, () => {
    requireTeam(ctx, teamId);
    const key = `hm-key-${hex(ctx.ids.uuid())}`;
    store.replaceApiKeys(ctx.db, teamId, key);
    return { api_key: key };
  });
}
