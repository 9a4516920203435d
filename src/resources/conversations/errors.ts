import { badDataAt, notFoundAt } from '../../core/errors.js';

// Named errors of the conversation rules shared by sends (chat_id, convo_id), schedules
// (conversation_id) and the conversation actions. One wording per rule; the caller names the field.

type ConversationRef = { id: number; inboxId: number; target: string };

/**
 * No conversation with this id in the team: 404 when the request addresses the conversation
 * (send into it, act on it), 400 when a stored request merely refers to it (a schedule).
 */
export const noSuchConversation = (field: string, id: number, status: 404 | 400 = 404) =>
  (status === 404 ? notFoundAt : badDataAt)(field, `no conversation with id ${id} in this team`);

export const conversationInOtherInbox = (field: string, conv: ConversationRef, inboxId: number) =>
  badDataAt(field, `conversation ${conv.id} belongs to inbox ${conv.inboxId}, not ${inboxId}`);

/** An email thread where only SMS/MMS goes; `hint` says what to do instead. */
export const isEmailThread = (field: string, conv: ConversationRef, hint: string) =>
  badDataAt(field, `conversation ${conv.id} is an email thread; ${hint}`);

export const notEmailThread = (field: string, conv: ConversationRef) =>
  badDataAt(field, `conversation ${conv.id} is not an email thread (send SMS with POST /v1/message/send)`);

/** 404: the inbox has no conversation with this number, or (group) this set of numbers. */
export const noThreadWith = (field: string, inboxId: number, target: string, group = false) =>
  notFoundAt(field, `inbox ${inboxId} has no ${group ? 'group ' : ''}conversation with ${target}`);

/** Rule 31: reassignment stays within the inbox. */
export const reassignOutsideInbox = (field: string, memberId: number, inboxId: number) =>
  badDataAt(field, `member ${memberId} is not a member of inbox ${inboxId} (reassignment stays within the inbox)`);

export const alreadyInInbox = (field: string, conv: ConversationRef, inboxId: number) =>
  badDataAt(field, `conversation ${conv.id} is already in inbox ${inboxId}`);

/** Gap V6: the inbox already holds the same thread. */
export const threadExistsInInbox = (field: string, twin: ConversationRef) =>
  badDataAt(field, `cannot transfer into an inbox where the conversation already exists (conversation ${twin.id} of inbox ${twin.inboxId} is with ${twin.target})`);
