import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { e164, emailAddress, rfc3339, wireParse } from '../../wire/primitives.js';
import { maxItems, maxKeys } from '../../wire/limits.js';
import { MAX_WEBHOOKS_PER_TEAM, webhookSpec } from '../webhooks/schemas.js';

// The JSON seed file format (README "Seed file"). Ids of teams, members and inboxes are fixed by
// the seed so clients can hard-code them; contacts, tags and fields get ids from the store.

/**
 * Limits of a team document (README "Request limits"): generous for a test team, bounded so no
 * body (POST /__mock/teams, PUT /__mock/snapshot, up to 80 MiB) makes unbounded work per item.
 */
export const TEAM_LIMITS = {
  api_keys: 100,
  members: 1000,
  inboxes: 100,
  inboxPhones: 20,
  inboxMembers: 1000,
  fields: 1000,
  tags: 1000,
  contacts: 100_000,
  contactCustom: 1000,
  contactTags: 5,
  surveys: 1000,
  stateTables: 100,
  // A team at the contacts limit holds 200 000 channel rows.
  stateRows: 250_000,
  stateColumns: 200,
  seedTeams: 1000,
} as const;

/** One member; exported, like inbox and contact, for the item-at-a-time parse of long lists (parse-sliced.ts). */
export const member = z.strictObject({
  id: z.number().int().positive(),
  first_name: z.string(),
  last_name: z.string().default(''),
  email: emailAddress,
  phone: e164,
  role_id: z.union([z.literal(1), z.literal(4)]).default(4),
});

export const inbox = z.strictObject({
  id: z.number().int().positive(),
  name: z.string().min(1),
  type: z.enum(['sms', 'email']).default('sms'),
  /** Primary number of an SMS inbox; toll-free is derived from it. */
  phone: e164.optional(),
  phones: maxItems(z.array(e164), TEAM_LIMITS.inboxPhones).optional(),
  email: emailAddress.optional(),
  members: maxItems(z.array(z.number().int().positive()), TEAM_LIMITS.inboxMembers).default([]),
  auto_assignable: z.boolean().default(true),
  toll_free: z.boolean().optional(),
});

export const contact = z.strictObject({
  phone: e164.optional(),
  email: emailAddress.optional(),
  first: z.string().optional(),
  last: z.string().optional(),
  display_name: z.string().optional(),
  /** Keyed by custom field *title* (ids are not known before seeding). */
  custom: maxKeys(z.record(z.string(), z.string()), TEAM_LIMITS.contactCustom).optional(),
  /** Tag labels. */
  tags: maxItems(z.array(z.string()), TEAM_LIMITS.contactTags).optional(),
  is_opted_out: z.boolean().optional(),
  blocked: z.boolean().optional(),
  uuid: z.uuid().optional(),
});

/** A survey as defined in the app (surveys are read-only through the API). Ids are unique across teams. */
const survey = z.strictObject({
  id: z.number().int().positive(),
  name: z.string().min(1),
  type: z.string().min(1),
  question: z.string().min(1),
  /** RFC 3339; default: the time the seed is applied. */
  created: rfc3339.optional(),
  updated: rfc3339.optional(),
});

/** One stored row of a team's state: column → value. */
export const stateRow = maxKeys(z.record(z.string(), z.unknown()), TEAM_LIMITS.stateColumns);

/**
 * A team's stored rows, as GET /__mock/snapshot writes them: table name → rows, each a column →
 * value object (database column names; team_id left out; JSON columns as JSON, booleans as
 * true/false, times as epoch milliseconds). Checked against the tables when written
 * (src/mock/snapshot/rows.ts), not here: the tables, not this schema, know their columns.
 */
export const teamState = maxKeys(
  z.record(z.string(), maxItems(z.array(stateRow), TEAM_LIMITS.stateRows)),
  TEAM_LIMITS.stateTables,
).describe("The team's rows of every team-owned table, as GET /__mock/snapshot writes them (decision T5)");

/** The docs allow at most two API Secrets per team (decision T3). */
const secrets = maxItems(z.array(z.strictObject({ secret_id: z.string().min(1), secret_key: z.string().min(1) })), 2);

/** Every part of a team, without defaults: a seed team fills them in, a POST /__mock/teams body generates them. */
const teamParts = {
  id: z.number().int().positive(),
  name: z.string().min(1),
  list_size: z.number().int().positive(),
  /** When the team was created (RFC 3339); default: when it is written. */
  created: rfc3339.optional(),
  api_secrets: secrets,
  api_keys: maxItems(z.array(z.string().min(1)), TEAM_LIMITS.api_keys),
  members: maxItems(z.array(member).min(1), TEAM_LIMITS.members),
  inboxes: maxItems(z.array(inbox), TEAM_LIMITS.inboxes),
  fields: maxItems(z.array(z.strictObject({ title: z.string().min(1) })), TEAM_LIMITS.fields),
  tags: maxItems(z.array(z.strictObject({ tag: z.string().min(1), color: z.string().optional() })), TEAM_LIMITS.tags),
  contacts: maxItems(z.array(contact), TEAM_LIMITS.contacts),
  surveys: maxItems(z.array(survey), TEAM_LIMITS.surveys),
  /** Webhook registrations, as POST /__mock/webhooks takes them. */
  webhooks: maxItems(z.array(webhookSpec), MAX_WEBHOOKS_PER_TEAM),
  /** A snapshot's rows: when present they are the team's data (members, inboxes, contacts, ...). */
  state: teamState.optional(),
};

export const seedTeam = z.strictObject({
  ...teamParts,
  list_size: teamParts.list_size.default(10000),
  api_secrets: teamParts.api_secrets.default([]),
  api_keys: teamParts.api_keys.default([]),
  inboxes: teamParts.inboxes.default([]),
  fields: teamParts.fields.default([]),
  tags: teamParts.tags.default([]),
  contacts: teamParts.contacts.default([]),
  surveys: teamParts.surveys.default([]),
  webhooks: teamParts.webhooks.default([]),
});

/**
 * The body of POST /__mock/teams: a seed team with every part optional. Absent parts are
 * generated like the default team's (src/mock/teams/service.ts), so they are left absent here.
 */
export const teamBody = z.strictObject({
  id: teamParts.id.optional(),
  name: teamParts.name.optional(),
  list_size: teamParts.list_size.optional(),
  created: teamParts.created,
  api_secrets: teamParts.api_secrets.optional(),
  api_keys: teamParts.api_keys.optional(),
  members: teamParts.members.optional(),
  inboxes: teamParts.inboxes.optional(),
  fields: teamParts.fields.optional(),
  tags: teamParts.tags.optional(),
  contacts: teamParts.contacts.optional(),
  surveys: teamParts.surveys.optional(),
  webhooks: teamParts.webhooks.optional(),
  state: teamParts.state,
});

export const seedFile = z.strictObject({
  /** Keep the built-in default team (id 1) beside the teams of this file. Default true. */
  include_default_team: z.boolean().default(true),
  teams: maxItems(z.array(seedTeam), TEAM_LIMITS.seedTeams).default([]),
});

export type SeedTeam = z.output<typeof seedTeam>;
export type SeedFile = z.output<typeof seedFile>;
export type TeamBody = z.output<typeof teamBody>;
export type TeamState = z.output<typeof teamState>;

export function readSeedFile(path: string): SeedFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`seed file ${path}: ${(e as Error).message}`);
  }
  const parsed = seedFile.safeParse(raw, wireParse);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`seed file ${path} is invalid:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
