import { and, asc, count, eq, sql } from 'drizzle-orm';
import { inJson } from '../../db/json-in.js';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { apiKeys, apiSecrets, members, teams } from '../../db/schema.js';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

// Credential look-ups are the only queries not scoped by team: they are how a request finds its team.

// Hot: every request runs one of them, so they are prepared once per database.

export function findSecret(db: Db, secretId: string) {
  return prepared(db, 'team.secret', () =>
    db.select().from(apiSecrets).where(eq(apiSecrets.secretId, sql.placeholder('secretId'))).prepare(),
  ).get({ secretId });
}

export function findApiKey(db: Db, key: string) {
  return prepared(db, 'team.apiKey', () => db.select().from(apiKeys).where(eq(apiKeys.key, sql.placeholder('key'))).prepare()).get({ key });
}

/** How many teams the store holds (GET /__mock/info). */
export function countTeams(db: Db): number {
  return db.select({ n: count() }).from(teams).get()?.n ?? 0;
}

export function getTeam(db: Db, teamId: number) {
  return db.select().from(teams).where(eq(teams.id, teamId)).get();
}

export type MemberRow = typeof members.$inferSelect;

export function listMembers(db: Db, teamId: number): MemberRow[] {
  return prepared(db, 'team.members', () =>
    db.select().from(members).where(eq(members.teamId, sql.placeholder('teamId'))).orderBy(asc(members.id)).prepare(),
  ).all({ teamId });
}

/**
 * The member the API acts as: the team's first admin (role_id 1), else its first member. Becomes
 * creator_id of what is created through the API (contacts, templates, lists).
 */
export function apiCreatorId(db: Db, teamId: number): number | null {
  // One row, not the whole team: every contact a batch creates asks.
  const row = prepared(db, 'team.apiCreator', () =>
    db
      .select({ id: members.id })
      .from(members)
      .where(eq(members.teamId, sql.placeholder('teamId')))
      .orderBy(sql`CASE WHEN ${members.roleId} = 1 THEN 0 ELSE 1 END`, asc(members.id))
      .limit(1)
      .prepare(),
  ).get({ teamId });
  return row?.id ?? null;
}

export function getMember(db: Db, teamId: number, memberId: number): MemberRow | undefined {
  return db.select().from(members).where(and(eq(members.teamId, teamId), eq(members.id, memberId))).get();
}

/** Members whose phone or email is in the given lists (either list may be empty). */
export function findMembers(db: Db, teamId: number, phones: string[], emails: string[]): MemberRow[] {
  const lowered = emails.map((e) => e.toLowerCase());
  const match = [];
  if (phones.length) match.push(inJson(members.phone, phones));
  if (lowered.length) match.push(inJson(sql`lower(${members.email})`, lowered));
  if (!match.length) return [];
  return db
    .select()
    .from(members)
    .where(and(eq(members.teamId, teamId), sql`(${sql.join(match, sql` OR `)})`))
    .orderBy(asc(members.id))
    .all();
}

export type MemberPatch = Partial<Pick<MemberRow, 'firstName' | 'lastName' | 'email' | 'phone' | 'roleId'>>;

/** One column of a patch: the value when given, else the column's own (no patch sets a column to null). */
const givenOr = (value: string, column: AnySQLiteColumn) => sql`COALESCE(${sql.placeholder(value)}, ${column})`;

/**
 * Many members' patches in one prepared statement run per member (POST /v1/users/update takes up
 * to its maximum in one request: the query builder per member would hold the server for that long).
 */
export function updateMembers(db: Db, teamId: number, patches: Map<number, MemberPatch>, now: number) {
  const stmt = prepared(db, 'members.patch', () =>
    db
      .update(members)
      .set({
        firstName: givenOr('first', members.firstName),
        lastName: givenOr('last', members.lastName),
        email: givenOr('email', members.email),
        phone: givenOr('phone', members.phone),
        roleId: givenOr('role', members.roleId),
        updated: sql`${sql.placeholder('now')}`,
        userUpdated: sql`${sql.placeholder('now')}`,
      })
      .where(and(eq(members.teamId, sql.placeholder('teamId')), eq(members.id, sql.placeholder('id'))))
      .prepare(),
  );
  for (const [id, p] of patches) {
    stmt.run({ teamId, id, now, first: p.firstName ?? null, last: p.lastName ?? null, email: p.email ?? null, phone: p.phone ?? null, role: p.roleId ?? null });
  }
}

/** Members of the team with these ids (any order); ids of other teams are simply absent. */
export function getMembersByIds(db: Db, teamId: number, ids: number[]): MemberRow[] {
  if (!ids.length) return [];
  return db.select().from(members).where(and(eq(members.teamId, teamId), inJson(members.id, ids))).all();
}
