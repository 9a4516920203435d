import type { AppContext } from '../../context.js';
import { getInbox, type InboxWithMembers } from './store.js';
import { getMember } from '../team/store.js';
import { noSuchInbox, notInboxMember, notTeamMember, wrongInboxKind } from './errors.js';

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
  if (!inbox) throw noSuchInbox(fields.inbox, inboxId);
  if (kind && inbox.kind !== kind) {
    throw wrongInboxKind(fields.inbox, inbox, kind === 'sms' ? 'send email with POST /v1/email/send' : 'send SMS with POST /v1/message/send');
  }
  if (!getMember(ctx.db, teamId, creatorId)) throw notTeamMember(fields.creator, creatorId, hint);
  if (!inbox.memberIds.includes(creatorId)) throw notInboxMember(fields.creator, creatorId, inbox, hint);
  return inbox;
}
