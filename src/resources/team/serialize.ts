import type { z } from 'zod';
import { toIso } from '../../domain/time.js';
import { ROLE_NAMES, type team, type teamUser } from './schemas.js';
import type { MemberRow } from './store.js';

type TeamRow = { id: number; name: string; listSize: number };

/** first + " " + last, without a dangling space when one part is empty. */
export const fullName = (m: Pick<MemberRow, 'firstName' | 'lastName'>) => `${m.firstName} ${m.lastName}`.trim();

export function roleName(roleId: number): 'admin' | 'member' {
  return ROLE_NAMES[roleId as keyof typeof ROLE_NAMES] ?? 'member';
}

export function serializeTeam(t: TeamRow, members: MemberRow[]): z.output<typeof team> {
  return {
    id: t.id,
    name: t.name,
    list_size: t.listSize,
    members: members.map((m) => ({ id: m.id, name: fullName(m), role: roleName(m.roleId), email: m.email })),
  };
}

export function serializeTeamUser(m: MemberRow): z.output<typeof teamUser> {
  return {
    id: m.id,
    phone: m.phone,
    name: fullName(m),
    email: m.email,
    role_id: m.roleId,
    team_id: m.teamId,
    created_at: toIso(m.created),
    updated_at: toIso(m.updated),
    user_created_at: toIso(m.userCreated),
    user_updated_at: toIso(m.userUpdated),
  };
}
