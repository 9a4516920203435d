import { eq } from 'drizzle-orm';
import { isTollFree } from '../../domain/phone.js';
import { inboxMembers, inboxes, members, surveys, teams } from '../../db/schema.js';
import type { Db } from '../../db/open.js';
import type { SeedTeam } from './schemas.js';

/**
 * How a seed team differs from the team stored under its id, one short phrase per difference
 * (empty: they agree). Compared: what only the seed defines and the API cannot change (name,
 * list size, inboxes with their members, surveys) and the member list; a member's own fields
 * only while the API has not updated it, and never contacts, tags or custom fields, which
 * clients change as they use the mock.
 */
export function seedDifferences(db: Db, t: SeedTeam): string[] {
  const out: string[] = [];
  const team = db.select().from(teams).where(eq(teams.id, t.id)).get();
  if (!team) return ['not stored'];
  if (team.name !== t.name) out.push(`name (stored ${JSON.stringify(team.name)})`);
  if (team.listSize !== t.list_size) out.push(`list_size (stored ${team.listSize})`);

  const storedMembers = new Map(db.select().from(members).where(eq(members.teamId, t.id)).all().map((m) => [m.id, m]));
  for (const m of t.members) {
    const row = storedMembers.get(m.id);
    if (!row) {
      out.push(`member ${m.id} (not stored)`);
      continue;
    }
    storedMembers.delete(m.id);
    // Updated through POST /v1/users/update: the stored values are the client's, not the seed's.
    if (row.updated !== row.created) continue;
    const fields = changed([
      ['first_name', row.firstName, m.first_name],
      ['last_name', row.lastName, m.last_name],
      ['email', row.email, m.email],
      ['phone', row.phone, m.phone],
      ['role_id', row.roleId, m.role_id],
    ]);
    if (fields.length) out.push(`member ${m.id} (${fields.join(', ')})`);
  }
  for (const id of storedMembers.keys()) out.push(`member ${id} (not in the seed)`);

  const storedInboxes = new Map(db.select().from(inboxes).where(eq(inboxes.teamId, t.id)).all().map((i) => [i.id, i]));
  for (const i of t.inboxes) {
    const row = storedInboxes.get(i.id);
    if (!row) {
      out.push(`inbox ${i.id} (not stored)`);
      continue;
    }
    storedInboxes.delete(i.id);
    const phone = i.type === 'sms' ? (i.phone ?? '') : '';
    const memberIds = db
      .select({ id: inboxMembers.memberId })
      .from(inboxMembers)
      .where(eq(inboxMembers.inboxId, i.id))
      .all()
      .map((r) => r.id);
    const fields = changed([
      ['name', row.name, i.name],
      ['type', row.kind, i.type],
      ['phone', row.phone, phone],
      ['phones', sorted(row.phones), sorted(i.phones ?? (phone ? [phone] : []))],
      ['email', row.email ?? '', i.email ?? ''],
      ['toll_free', row.tollFree, i.toll_free ?? (phone ? isTollFree(phone) : false)],
      ['auto_assignable', row.autoAssignable, i.auto_assignable],
      ['members', sorted(memberIds), sorted(i.members)],
    ]);
    if (fields.length) out.push(`inbox ${i.id} (${fields.join(', ')})`);
  }
  for (const id of storedInboxes.keys()) out.push(`inbox ${id} (not in the seed)`);

  const storedSurveys = new Map(db.select().from(surveys).where(eq(surveys.teamId, t.id)).all().map((s) => [s.id, s]));
  for (const s of t.surveys) {
    const row = storedSurveys.get(s.id);
    if (!row) {
      out.push(`survey ${s.id} (not stored)`);
      continue;
    }
    storedSurveys.delete(s.id);
    const fields = changed([
      ['name', row.name, s.name],
      ['type', row.type, s.type],
      ['question', row.question, s.question],
    ]);
    if (fields.length) out.push(`survey ${s.id} (${fields.join(', ')})`);
  }
  for (const id of storedSurveys.keys()) out.push(`survey ${id} (not in the seed)`);
  return out;
}

function changed(pairs: Array<[string, unknown, unknown]>): string[] {
  return pairs.filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b)).map(([name]) => name);
}

function sorted<T extends string | number>(list: T[]): T[] {
  return [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
