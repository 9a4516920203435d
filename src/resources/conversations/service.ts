import type { AppContext } from '../../context.js';
import { checkSender } from '../inboxes/sender.js';
import { inTransaction } from '../../db/open.js';
import { recordEvent } from '../events/store.js';
import { presentConversations } from './present.js';
import { carriesGroupMms } from '../../domain/reachability.js';
import { groupKey } from '../../domain/targets.js';
import { noSuchInbox, notInboxMember, notTeamMember, tollFreeGroupMms, wrongInboxKind } from '../inboxes/errors.js';
import { getInbox, listInboxes, type InboxWithMembers } from '../inboxes/store.js';
import { getMember } from '../team/store.js';
import type { Address, ListBody } from './schemas.js';
import {
  alreadyInInbox, conversationInOtherInbox, isEmailThread, noSuchConversation, noThreadWith, reassignOutsideInbox, threadExistsInInbox,
} from './errors.js';
import * as store from './store.js';
import type { ConversationPatch, ConversationRow } from './store.js';

// The conversation operations of conversations.md: list/count selection, the rules of
// open/close/read/unread/reassign (rules 30, 31) and transfer (rule 32, gap V6).

/** Page size of the list (doc: 30; the Pagination json `limit` may change it, gap G8). */
export const PAGE = 30;

/**
 * Turns either list body into a query. The filters form scopes to the inboxes of member `id`
 * (403 when `id` is not a member of the team, or not of a listed inbox) and pages by date only.
 */
export function listQuery(ctx: AppContext, teamId: number, b: ListBody): store.ConversationPage {
  const cursor = b.date !== undefined ? Date.parse(b.date) : undefined;
  if (b.filters === undefined) {
    const limit = b.limit ?? PAGE;
    return {
      cursor,
      ascending: b.ascending ?? false,
      order: b.order ?? 'updated',
      status: b.archived === undefined ? undefined : b.archived ? 'closed' : 'open',
      assignedTo: b.assigned,
      filter: b.filter,
      limit,
      offset: (b.page ?? 0) * limit,
      exactPage: b.page !== undefined,
    };
  }
  const f = b.filters;
  const teamInboxes = listInboxes(ctx.db, teamId);
  const memberId = b.id ?? 0;
  let inboxIds: number[] | undefined;
  if (f.inboxes?.length) {
    f.inboxes.forEach((id, i) => {
      if (!teamInboxes.some((x) => x.id === id)) throw noSuchInbox(`filters.inboxes[${i}]`, id);
    });
    inboxIds = f.inboxes;
  }
  if (memberId !== 0) {
    if (!getMember(ctx.db, teamId, memberId)) throw notTeamMember('id', memberId);
    const own = teamInboxes.filter((x) => x.memberIds.includes(memberId)).map((x) => x.id);
    if (inboxIds) {
      const foreign = inboxIds.find((id) => !own.includes(id));
      const inbox = teamInboxes.find((x) => x.id === foreign);
      if (inbox) throw notInboxMember('id', memberId, inbox);
    } else {
      inboxIds = own;
    }
  }
  return {
    cursor,
    ascending: false,
    order: 'updated',
    inboxIds,
    status: f.closed === undefined ? undefined : f.closed ? 'closed' : 'open',
    unreadOnly: f.unread === true,
    limit: PAGE,
    offset: 0,
  };
}

export function listConversations(ctx: AppContext, teamId: number, b: ListBody): ConversationRow[] {
  return store.listConversations(ctx.db, teamId, listQuery(ctx, teamId, b));
}

export function countConversations(ctx: AppContext, teamId: number, b: ListBody): number {
  return store.countMatching(ctx.db, teamId, listQuery(ctx, teamId, b));
}

/** Rule 30/31: the inbox must be the team's (400), the user a member of it (403). */
const inboxAndActor = (ctx: AppContext, teamId: number, inboxId: number, userId: number): InboxWithMembers =>
  checkSender(ctx, teamId, inboxId, userId, undefined, { inbox: 'inbox_id', creator: 'user_id' });

/** The conversation of `inbox` that the body addresses: chat_id, else targets (group), else target. */
function addressed(ctx: AppContext, teamId: number, inbox: InboxWithMembers, a: Address): ConversationRow {
  if (a.chat_id !== undefined) {
    const row = store.getConversation(ctx.db, teamId, a.chat_id);
    if (!row) throw noSuchConversation('chat_id', a.chat_id);
    if (row.inboxId !== inbox.id) throw conversationInOtherInbox('chat_id', row, inbox.id);
    return row;
  }
  if (a.targets !== undefined) {
    const key = groupKey([...new Set(a.targets)]);
    const row = store.findByTarget(ctx.db, teamId, inbox.id, 'mms', key);
    if (!row) throw noThreadWith('targets', inbox.id, key, true);
    return row;
  }
  const row = a.target === undefined ? undefined : store.findByTarget(ctx.db, teamId, inbox.id, 'sms', a.target);
  if (!row) throw noThreadWith('target', inbox.id, String(a.target));
  return row;
}

/** chat_* (control-plane spec, Webhooks): the Conversation object as the API shows it, in the change's transaction. */
function recordChatEvent(ctx: AppContext, row: ConversationRow, type: 'chat_opened' | 'chat_closed' | 'chat_reassigned' | 'chat_transferred', now: number) {
  recordEvent(ctx.db, row.teamId, type, presentConversations(ctx, row.teamId, [row])[0]!, now);
}

/** Writes `patch` unless the row already holds every value in it (a repeat is a successful no-op). */
function patchIfChanged(ctx: AppContext, row: ConversationRow, patch: ConversationPatch) {
  const changed = (Object.keys(patch) as Array<keyof ConversationPatch>).some((k) => row[k] !== patch[k]);
  return changed ? store.updateConversation(ctx.db, row.teamId, row.id, patch) : row;
}

type ActorAddress = Address & { inbox_id: number; user_id: number };

/** POST /v1/conversations/open and /close: status, op and updated. */
export function setStatus(ctx: AppContext, teamId: number, b: ActorAddress, status: 'open' | 'closed') {
  return inTransaction(ctx.db, () => {
    const row = addressed(ctx, teamId, inboxAndActor(ctx, teamId, b.inbox_id, b.user_id), b);
    if (row.status === status) return row;
    const now = ctx.clock.now(teamId);
    const after = store.updateConversation(ctx.db, teamId, row.id, { status, op: status === 'open' ? 'open' : 'close', updated: now });
    recordChatEvent(ctx, after, status === 'open' ? 'chat_opened' : 'chat_closed', now);
    return after;
  });
}

/** POST /v1/conversations/read and /unread: the read flag only (not activity: updated stays). */
export function setRead(ctx: AppContext, teamId: number, b: ActorAddress, read: boolean) {
  return inTransaction(ctx.db, () => {
    const row = addressed(ctx, teamId, inboxAndActor(ctx, teamId, b.inbox_id, b.user_id), b);
    return patchIfChanged(ctx, row, { read });
  });
}

/** POST /v1/conversations/reassign (rule 31): the new owner must be a member of the same inbox. */
export function reassign(ctx: AppContext, teamId: number, b: ActorAddress & { reassign_id: number }) {
  return inTransaction(ctx.db, () => {
    const inbox = inboxAndActor(ctx, teamId, b.inbox_id, b.user_id);
    if (!inbox.memberIds.includes(b.reassign_id)) throw reassignOutsideInbox('reassign_id', b.reassign_id, inbox.id);
    const row = addressed(ctx, teamId, inbox, { target: b.target, targets: b.targets });
    const after = patchIfChanged(ctx, row, { assignedId: b.reassign_id });
    if (after !== row) recordChatEvent(ctx, after, 'chat_reassigned', ctx.clock.now(teamId));
    return after;
  });
}

/**
 * POST /v1/conversations/transfer (rule 32, gap V6): SMS/MMS only, into another SMS inbox of the
 * team that does not already hold the same thread; group MMS not into a toll-free inbox. An
 * assignee who is not a member of the new inbox is unassigned.
 */
export function transfer(ctx: AppContext, teamId: number, b: { conversation_id: number; transfer_inbox_id: number }) {
  return inTransaction(ctx.db, () => {
    const row = store.getConversation(ctx.db, teamId, b.conversation_id);
    if (!row) throw noSuchConversation('conversation_id', b.conversation_id);
    if (row.channel === 'email') throw isEmailThread('conversation_id', row, 'only SMS conversations can be transferred');
    const to = getInbox(ctx.db, teamId, b.transfer_inbox_id);
    if (!to) throw noSuchInbox('transfer_inbox_id', b.transfer_inbox_id);
    if (to.kind !== 'sms') throw wrongInboxKind('transfer_inbox_id', to, 'SMS conversations move only between SMS inboxes');
    if (to.id === row.inboxId) throw alreadyInInbox('transfer_inbox_id', row, to.id);
    if (row.channel === 'mms' && !carriesGroupMms(to)) throw tollFreeGroupMms('transfer_inbox_id', to);
    const twin = store.findSameThread(ctx.db, teamId, to.id, row);
    if (twin) throw threadExistsInInbox('transfer_inbox_id', twin);
    const assignedId = row.assignedId !== null && !to.memberIds.includes(row.assignedId) ? null : row.assignedId;
    const now = ctx.clock.now(teamId);
    const after = store.updateConversation(ctx.db, teamId, row.id, { inboxId: to.id, assignedId, updated: now });
    recordChatEvent(ctx, after, 'chat_transferred', now);
    return after;
  });
}
