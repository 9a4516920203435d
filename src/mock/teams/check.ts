import { ApiError, badData } from '../../core/errors.js';
import type { Step } from '../../db/slices.js';
import type { Db } from '../../db/open.js';
import type { SeedTeam } from '../seed/schemas.js';

// What the seed schema cannot see: a team's parts must fit together, and its ids and credentials
// must be free in the store. Every problem is a 400 naming the field (relative to the team object;
// `prefix` is where the team sits in the body, e.g. "team" in a snapshot), found before anything
// is written, so a refused request changes nothing.

const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

/** Contacts checked per step (src/db/slices.ts): a team of 100 000 is checked in slices. */
const CONTACTS_PER_STEP = 1000;

/** Runs check steps at once: the first problem, or undefined. */
function firstProblem(steps: Iterable<Step>): ApiError | undefined {
  try {
    for (const step of steps) step();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  return undefined;
}

/** The first problem of the team on its own (no store needed), or undefined. */
export function teamShapeProblem(t: SeedTeam, prefix = ''): ApiError | undefined {
  return firstProblem(shapeSteps(t, prefix));
}

/** Steps that check the team on its own, throwing its first problem. */
export function* shapeSteps(t: SeedTeam, prefix = ''): Generator<Step> {
  const bad = (field: string, message: string) => badData(at(prefix, field), `${at(prefix, field)}: ${message}`, 'invalid_value');
  const dup = <T>(list: T[], key: (x: T) => string | number, field: (i: number) => string, what: string) => {
    const seen = new Set<string | number>();
    for (let i = 0; i < list.length; i++) {
      const k = key(list[i]!);
      if (seen.has(k)) return bad(field(i), `${what} ${k} is given twice`);
      seen.add(k);
    }
    return undefined;
  };
  const first =
    dup(t.members, (m) => m.id, (i) => `members[${i}].id`, 'member id') ??
    dup(t.inboxes, (x) => x.id, (i) => `inboxes[${i}].id`, 'inbox id') ??
    dup(t.surveys, (s) => s.id, (i) => `surveys[${i}].id`, 'survey id') ??
    dup(t.api_secrets, (s) => s.secret_id, (i) => `api_secrets[${i}].secret_id`, 'Secret ID') ??
    dup(t.api_keys, (k) => k, (i) => `api_keys[${i}]`, 'API key') ??
    dup(t.fields, (f) => f.title.trim(), (i) => `fields[${i}].title`, 'custom field');
  const memberIds = new Set(t.members.map((m) => m.id));
  yield () => {
    if (first) throw first;
    for (const [i, x] of t.inboxes.entries()) {
      for (const [j, m] of x.members.entries()) if (!memberIds.has(m)) throw bad(`inboxes[${i}].members[${j}]`, `member ${m} is not a member of this team (members: ${[...memberIds].join(', ')})`);
      if (x.type === 'sms' && !x.phone) throw badData(at(prefix, `inboxes[${i}].phone`), `${at(prefix, `inboxes[${i}].phone`)}: an SMS inbox needs a phone`, 'required_field');
      if (x.type === 'email' && !x.email) throw badData(at(prefix, `inboxes[${i}].email`), `${at(prefix, `inboxes[${i}].email`)}: an email inbox needs an email`, 'required_field');
    }
  };
  const titles = new Set(t.fields.map((f) => f.title));
  const labels = new Set(t.tags.map((g) => g.tag));
  const phones = new Set<string>();
  const uuids = new Set<string>();
  for (let from = 0; from < t.contacts.length; from += CONTACTS_PER_STEP) {
    yield () => {
      for (let i = from; i < Math.min(from + CONTACTS_PER_STEP, t.contacts.length); i++) {
        const c = t.contacts[i]!;
        if (c.custom) for (const title of Object.keys(c.custom)) if (!titles.has(title)) throw bad(`contacts[${i}].custom.${title}`, `custom field "${title}" is not in fields`);
        if (c.tags) c.tags.forEach((label, j) => {
          if (!labels.has(label)) throw bad(`contacts[${i}].tags[${j}]`, `tag "${label}" is not in tags`);
        });
        if (c.phone !== undefined) {
          if (phones.has(c.phone)) throw bad(`contacts[${i}].phone`, `phone ${c.phone} is given to two contacts (a number belongs to one contact per team, decision C1)`);
          phones.add(c.phone);
        }
        if (c.uuid !== undefined) {
          const u = c.uuid.toLowerCase();
          if (uuids.has(u)) throw bad(`contacts[${i}].uuid`, `uuid ${c.uuid} is given to two contacts`);
          uuids.add(u);
        }
      }
    };
  }
  if (t.state) {
    yield () => {
      const problem = stateAgreement(t, prefix);
      if (problem) throw problem;
    };
  }
}

/**
 * With `state`, the rows are the team's data and the seed-format parts describe them: both must
 * name the same members, inboxes, surveys and credentials, and contacts, fields and tags come
 * from the rows only (decision T5).
 */
function stateAgreement(t: SeedTeam, prefix: string): ApiError | undefined {
  const state = t.state!;
  for (const part of ['contacts', 'fields', 'tags'] as const) {
    if (t[part].length) return badData(at(prefix, part), `${at(prefix, part)}: with state, the team's ${part} are state.${part === 'fields' ? 'contact_fields' : part}; leave ${part} out`, 'invalid_value');
  }
  const same = (part: string, given: Array<string | number>, table: string, column: string) => {
    const rows = (state[table] ?? []).map((r) => r[column]);
    const a = [...new Set(given)].map(String).sort();
    const b = [...new Set(rows)].map(String).sort();
    if (a.length === b.length && a.every((x, i) => x === b[i])) return undefined;
    return badData(at(prefix, part), `${at(prefix, part)}: must name the same ${column === 'id' ? 'ids' : column} as state.${table} (${b.join(', ') || 'none'}), got ${a.join(', ') || 'none'}; a snapshot's data is its state, so edit both or neither`, 'invalid_value');
  };
  return (
    same('members', t.members.map((m) => m.id), 'members', 'id') ??
    same('inboxes', t.inboxes.map((x) => x.id), 'inboxes', 'id') ??
    same('surveys', t.surveys.map((s) => s.id), 'surveys', 'id') ??
    same('api_secrets', t.api_secrets.map((s) => s.secret_id), 'api_secrets', 'secret_id') ??
    same('api_keys', t.api_keys, 'api_keys', 'key')
  );
}

interface Owned {
  value: string | number;
  team_id: number;
}

/** Rows of `table` whose `column` is one of `values`, with their team. */
function owners(db: Db, table: string, column: string, values: Array<string | number>): Map<string, number> {
  if (!values.length) return new Map();
  const rows = db.$client.prepare(`SELECT ${column} AS value, team_id FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?))`).all(JSON.stringify(values)) as Owned[];
  return new Map(rows.map((r) => [String(r.value), r.team_id]));
}

/**
 * The first id or credential of `t` that another stored team holds (team `self` may hold its own:
 * a reset or a snapshot restore rewrites that team), or undefined.
 */
export function teamConflict(db: Db, t: SeedTeam, self: number | undefined, prefix = ''): ApiError | undefined {
  return firstProblem(conflictSteps(db, t, self, prefix));
}

/** Steps that look up the team's ids and credentials in the store, throwing the first one another team holds. */
export function* conflictSteps(db: Db, t: SeedTeam, self: number | undefined, prefix = ''): Generator<Step> {
  const taken = (field: string, what: string, owner: number) =>
    badData(at(prefix, field), `${at(prefix, field)}: ${what} is already used by team ${owner}; ids and credentials are unique across teams (leave it out to have one generated)`, 'invalid_value');
  if (self === undefined) {
    yield () => {
      const exists = db.$client.prepare('SELECT 1 FROM teams WHERE id = ?').get(t.id);
      if (exists) throw badData(at(prefix, 'id'), `${at(prefix, 'id')}: team ${t.id} exists already (DELETE /__mock/teams/${t.id} first, or leave id out to have one assigned)`, 'invalid_value');
    };
  }
  const checks: Array<{ table: string; column: string; values: Array<string | number>; field: (i: number) => string; what: (v: string | number) => string }> = [
    { table: 'members', column: 'id', values: t.members.map((m) => m.id), field: (i) => `members[${i}].id`, what: (v) => `member id ${v}` },
    { table: 'inboxes', column: 'id', values: t.inboxes.map((x) => x.id), field: (i) => `inboxes[${i}].id`, what: (v) => `inbox id ${v}` },
    { table: 'surveys', column: 'id', values: t.surveys.map((s) => s.id), field: (i) => `surveys[${i}].id`, what: (v) => `survey id ${v}` },
    { table: 'api_secrets', column: 'secret_id', values: t.api_secrets.map((s) => s.secret_id), field: (i) => `api_secrets[${i}].secret_id`, what: (v) => `Secret ID ${v}` },
    { table: 'api_keys', column: 'key', values: t.api_keys, field: (i) => `api_keys[${i}]`, what: () => 'this API key' },
    { table: 'contacts', column: 'uuid', values: t.contacts.map((c) => c.uuid?.toLowerCase() ?? ''), field: (i) => `contacts[${i}].uuid`, what: (v) => `contact uuid ${v}` },
  ];
  for (const c of checks) {
    for (let from = 0; from < c.values.length; from += CONTACTS_PER_STEP) {
      yield () => {
        const values = c.values.slice(from, from + CONTACTS_PER_STEP);
        const held = owners(db, c.table, c.column, values.filter((v) => v !== ''));
        values.forEach((v, k) => {
          const owner = held.get(String(v));
          if (owner !== undefined && owner !== self) throw taken(c.field(from + k), c.what(v), owner);
        });
      };
    }
  }
}
