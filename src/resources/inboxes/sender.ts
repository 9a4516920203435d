import type { AppContext } from '../../context.js';
import { badData, denied } from '../../core/errors.js';
import { getInbox, type InboxWithMembers } from './store.js';
import { getMember } from '../team/store.js';

/**
 * The inbox and acting member of a send or a conversation action: the inbox must be the team's
 * (and of `kind`, when given) (400), the member must belong to that inbox (403 denied; rule 8,
 * gap in authentication.md §4). `hint` is added to the member errors (e.g. why that member).
 */
export function checkSender(
  ctx: AppContext,
  teamId: number,
  inboxId: number,
  creatorId: number,
  kind: 'sms' | 'email' | undefined,
  fields: { inbox: string; creator: string },
  hint = '',
): InboxWithMembers {
  const inbox = getInbox(ctx.db, teamId, inboxId);
  if (!inbox) throw badData(fields.inbox, `${fields.inbox}: no inbox with id ${inboxId} in this team (see GET /v1/inboxes)`);
  if (kind && inbox.kind !== kind) {
    const hint = kind === 'sms' ? 'send email with POST /v1/email/send' : 'send SMS with POST /v1/message/send';
    throw badData(fields.inbox, `${fields.inbox}: inbox ${inboxId} is an ${inbox.kind === 'sms' ? 'SMS' : 'email'} inbox (${hint})`);
  }
  if (!getMember(ctx.db, teamId, creatorId)) {
    throw denied(`${fields.creator}: ${creatorId} is not a member of this team (see GET /v1/team)${hint}`, fields.creator);
  }
  if (!inbox.memberIds.includes(creatorId)) {
    throw denied(`${fields.creator}: member ${creatorId} is not a member of inbox ${inboxId} (its members: ${inbox.memberIds.join(', ')})${hint}`, fields.creator);
  }
  return inbox;
}
