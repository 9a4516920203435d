import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { apiKeys, apiSecrets, inboxMembers, inboxes, members, teams } from '../../db/schema.js';

// The control plane's view of teams: every team at once (admin routes), credentials included.

export interface TeamCredentials {
  id: number;
  name: string;
  api_secrets: Array<{ secret_id: string; secret_key: string }>;
  api_keys: string[];
  members: Array<{ id: number; first_name: string; last_name: string; email: string; role_id: number }>;
  inboxes: Array<{ id: number; name: string; type: 'sms' | 'email'; phone?: string; email?: string; toll_free?: boolean; members: number[] }>;
  created: number;
}

function group<T extends { teamId: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.teamId);
    if (list) list.push(r);
    else out.set(r.teamId, [r]);
  }
  return out;
}

/** Team credentials objects (control-plane.md), by id: every team, or the one given (empty when unknown). */
export function teamCredentials(db: Db, teamId?: number): TeamCredentials[] {
  const rows = db.select({ id: teams.id, name: teams.name, created: teams.created }).from(teams).where(teamId === undefined ? undefined : eq(teams.id, teamId)).orderBy(asc(teams.id)).all();
  if (!rows.length) return [];
  // Secrets and keys keep the order they were added in (rowid).
  const secrets = group(db.select().from(apiSecrets).where(teamId === undefined ? undefined : eq(apiSecrets.teamId, teamId)).all());
  const keys = group(db.select().from(apiKeys).where(teamId === undefined ? undefined : eq(apiKeys.teamId, teamId)).all());
  const people = group(db.select().from(members).where(teamId === undefined ? undefined : eq(members.teamId, teamId)).orderBy(asc(members.id)).all());
  const boxes = group(db.select().from(inboxes).where(teamId === undefined ? undefined : eq(inboxes.teamId, teamId)).orderBy(asc(inboxes.id)).all());
  const seats = new Map<number, number[]>();
  for (const m of db.select().from(inboxMembers).where(teamId === undefined ? undefined : eq(inboxMembers.teamId, teamId)).orderBy(asc(inboxMembers.inboxId), asc(inboxMembers.memberId)).all()) {
    const list = seats.get(m.inboxId);
    if (list) list.push(m.memberId);
    else seats.set(m.inboxId, [m.memberId]);
  }
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    api_secrets: (secrets.get(t.id) ?? []).map((s) => ({ secret_id: s.secretId, secret_key: s.secretKey })),
    api_keys: (keys.get(t.id) ?? []).map((k) => k.key),
    members: (people.get(t.id) ?? []).map((m) => ({ id: m.id, first_name: m.firstName, last_name: m.lastName, email: m.email, role_id: m.roleId })),
    inboxes: (boxes.get(t.id) ?? []).map((i) =>
      i.kind === 'email'
        ? { id: i.id, name: i.name, type: i.kind, email: i.email ?? '', members: seats.get(i.id) ?? [] }
        : { id: i.id, name: i.name, type: i.kind, phone: i.phone, toll_free: i.tollFree, members: seats.get(i.id) ?? [] },
    ),
    created: t.created,
  }));
}

export function teamExists(db: Db, teamId: number): boolean {
  return db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).get() !== undefined;
}

/** Deletes the team and, by cascade, everything it owns. False when there was none. */
export function deleteTeam(db: Db, teamId: number): boolean {
  return db.delete(teams).where(eq(teams.id, teamId)).run().changes > 0;
}

export function countSecrets(db: Db, teamId: number): number {
  return db.select({ n: count() }).from(apiSecrets).where(eq(apiSecrets.teamId, teamId)).get()?.n ?? 0;
}

export function addSecret(db: Db, teamId: number, secretId: string, secretKey: string) {
  db.insert(apiSecrets).values({ teamId, secretId, secretKey }).run();
}

/** False when the team holds no such Secret. */
export function removeSecret(db: Db, teamId: number, secretId: string): boolean {
  return db.delete(apiSecrets).where(and(eq(apiSecrets.teamId, teamId), eq(apiSecrets.secretId, secretId))).run().changes > 0;
}

/** The team's legacy keys become exactly `key`. */
export function replaceApiKeys(db: Db, teamId: number, key: string) {
  db.delete(apiKeys).where(eq(apiKeys.teamId, teamId)).run();
  db.insert(apiKeys).values({ teamId, key }).run();
}

type IdTable = 'teams' | 'members' | 'inboxes' | 'surveys';

/** The highest id of the table (0 when empty): a primary-key lookup, whatever the store holds. */
export function maxId(db: Db, table: IdTable): number {
  return (db.$client.prepare(`SELECT max(id) FROM ${table}`).pluck().get() as number | null) ?? 0;
}

/** Whether any id from `from` to `to` is taken (a primary-key range). */
export function anyIdIn(db: Db, table: IdTable, from: number, to: number): boolean {
  return db.$client.prepare(`SELECT 1 FROM ${table} WHERE id BETWEEN ? AND ? LIMIT 1`).get(from, to) !== undefined;
}

/** Whether any inbox holds this number (as its primary number or among its phones, a JSON array of strings). */
export function numberInUse(db: Db, phone: string): boolean {
  return db.$client.prepare('SELECT 1 FROM inboxes WHERE phone = ? OR instr(phones, ?) > 0 LIMIT 1').get(phone, JSON.stringify(phone)) !== undefined;
}
