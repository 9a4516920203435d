import type { AppContext } from '../../context.js';
import { badDataAt } from '../../core/errors.js';
import { findMembers } from '../team/store.js';

/**
 * Real client code sends the acting member by email (`creator_email` on a send, `user_email` on a
 * schedule) instead of by id: the member of the team with that email, compared case-insensitively
 * (the lowest member id when two share one). 400 naming `field` when no member has it.
 */
function memberIdByEmail(ctx: AppContext, teamId: number, email: string, field: string): number {
  const member = findMembers(ctx.db, teamId, [], [email])[0];
  if (!member) {
    throw badDataAt(field, `no member of this team has the email ${email} (see GET /v1/team for members and their emails, or send the member id instead)`).coded(
      'unknown_member_email',
    );
  }
  return member.id;
}

/**
 * The acting member of a request that may name it by id or by email: the id wins when both are
 * given (the email is then not looked up); neither → undefined.
 */
export function actingMemberId(ctx: AppContext, teamId: number, id: number | undefined, email: string | undefined, emailField: string): number | undefined {
  if (id !== undefined) return id;
  return email === undefined ? undefined : memberIdByEmail(ctx, teamId, email, emailField);
}
