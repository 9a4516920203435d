import { badDataAt, deniedAt } from '../../core/errors.js';

// Named errors of the inbox and member rules every send and conversation action checks (rule 8,
// rule 30; gap M4). One wording per rule; the caller names the field.

type InboxRef = { id: number; kind: 'sms' | 'email'; phone: string | null };
const kindName = (kind: 'sms' | 'email') => (kind === 'sms' ? 'SMS' : 'email');

export const noSuchInbox = (field: string, id: number) => badDataAt(field, `no inbox with id ${id} in this team (see GET /v1/inboxes)`).coded('no_sender_available');

/** The inbox is of the other kind; `hint` says what to do instead. */
export const wrongInboxKind = (field: string, inbox: InboxRef, hint: string) =>
  badDataAt(field, `inbox ${inbox.id} is an ${kindName(inbox.kind)} inbox (${hint})`).coded('no_sender_available');

/** 403: the acting member is not in the team. `hint` adds why that member (e.g. a defaulted user_id). */
export const notTeamMember = (field: string, memberId: number, hint = '') =>
  deniedAt(field, `${memberId} is not a member of this team (see GET /v1/team)${hint}`).coded('no_sender_available');

/** 403: the acting member is in the team but not in the inbox. */
export const notInboxMember = (field: string, memberId: number, inbox: { id: number; memberIds: number[] }, hint = '') =>
  deniedAt(field, `member ${memberId} is not a member of inbox ${inbox.id} (its members: ${inbox.memberIds.join(', ')})${hint}`).coded('no_sender_available');

/** Gap M4: a group MMS thread never sends from, or moves into, a toll-free inbox. */
export const tollFreeGroupMms = (field: string, inbox: InboxRef) =>
  badDataAt(field, `inbox ${inbox.id} uses toll-free number ${inbox.phone}, and toll-free numbers do not support group MMS`).coded('toll_free_group_mms');
