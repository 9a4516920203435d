import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { badData } from '../../core/errors.js';
import { inTransaction } from '../../db/open.js';
import type { usersUpdateBody } from './schemas.js';
import * as store from './store.js';
import type { MemberRow } from './store.js';

type UserUpdate = z.output<typeof usersUpdateBody>['users'][number];

/**
 * POST /v1/users/update. Rule #36: every element names a member of the team; one transaction, so a
 * single bad element changes nothing. Elements naming one member apply in request order (their
 * patches merge, later fields win: decision R1a). Answers one member per element, in request order.
 */
export function updateUsers(ctx: AppContext, teamId: number, users: UserUpdate[]): MemberRow[] {
  const { db } = ctx;
  return inTransaction(db, () => {
    const known = new Set(store.getMembersByIds(db, teamId, users.map((u) => u.id)).map((m) => m.id));
    users.forEach((u, i) => {
      if (!known.has(u.id)) throw badData(`users[${i}].id`, `users[${i}].id: no member with id ${u.id} in this team`);
    });
    const patches = new Map<number, store.MemberPatch>();
    for (const u of users) {
      const patch = patches.get(u.id) ?? {};
      if (u.first_name !== undefined) patch.firstName = u.first_name;
      if (u.last_name !== undefined) patch.lastName = u.last_name;
      if (u.role_id !== undefined) patch.roleId = u.role_id;
      if (u.email !== undefined) patch.email = u.email;
      if (u.phone !== undefined) patch.phone = u.phone;
      patches.set(u.id, patch);
    }
    store.updateMembers(db, teamId, patches, ctx.clock.now(teamId));
    const byId = new Map(store.getMembersByIds(db, teamId, [...patches.keys()]).map((m) => [m.id, m]));
    return users.map((u) => byId.get(u.id)!);
  });
}
