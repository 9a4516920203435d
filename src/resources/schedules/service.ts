import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import type { ScheduledRequest } from '../../db/schema.js';
import { badData } from '../../core/errors.js';
import { carriesGroupMms } from '../../domain/reachability.js';
import { conversationInOtherInbox, isEmailThread, noSuchConversation } from '../conversations/errors.js';
import { getConversation } from '../conversations/store.js';
import { tollFreeGroupMms } from '../inboxes/errors.js';
import { getList } from '../lists/store.js';
import { actingMemberId } from '../inboxes/member-email.js';
import { checkSender } from '../inboxes/sender.js';
import { noSuchList, noSuchTemplate } from '../messages/errors.js';
import { getSendKey } from '../messages/store.js';
import { apiCreatorId } from '../team/store.js';
import { getTemplate } from '../templates/store.js';
import { executeAtProblem, targetOf } from '../../domain/schedule.js';
import { isProblem } from '../../domain/targets.js';
import { alreadyRan, beingSent, noDefaultUser, noSuchSchedule } from './errors.js';
import type { ScheduleBody } from './schemas.js';
import * as store from './store.js';

/**
 * Everything a create or replace must pass before it is stored, in order: the execute_at slot
 * (rule 29, D2), one target family (D3), the sending SMS inbox and member (user_id defaults to the
 * team owner; 403 when not in the inbox), then the references the send will use, so a schedule
 * that is accepted can only fail later because the data changed meanwhile.
 */
function validate(ctx: AppContext, teamId: number, b: ScheduleBody): store.ScheduleValues {
  const when = executeAtProblem(b.execute_at, ctx.clock.now(teamId));
  if (isProblem(when)) throw badData(when.field, when.message);
  const target = targetOf(b);
  if (isProblem(target)) throw badData(target.field, target.message);

  const named = actingMemberId(ctx, teamId, b.user_id, b.user_email, 'user_email');
  const userId = named ?? apiCreatorId(ctx.db, teamId);
  if (userId === null) throw noDefaultUser('user_id');
  const hint =
    b.user_id !== undefined ? '' : named !== undefined ? `; member ${userId} has the user_email ${b.user_email}` : `; user_id was omitted, so it defaulted to the team owner (member ${userId})`;
  const inbox = checkSender(ctx, teamId, b.inbox_id, userId, 'sms', { inbox: 'inbox_id', creator: 'user_id' }, hint);

  if (target.kind === 'group' && !carriesGroupMms(inbox)) throw tollFreeGroupMms('targets', inbox);
  if (target.kind === 'list' && !getList(ctx.db, teamId, target.listId)) throw noSuchList('list_id', target.listId);
  if (target.kind === 'conversation') {
    const conv = getConversation(ctx.db, teamId, target.conversationId);
    // 400, not 404: the schedule refers to it for later.
    if (!conv) throw noSuchConversation('conversation_id', target.conversationId, 400);
    if (conv.inboxId !== inbox.id) throw conversationInOtherInbox('conversation_id', conv, inbox.id);
    if (conv.channel === 'email') throw isEmailThread('conversation_id', conv, 'scheduled messages are SMS/MMS');
    if (conv.channel === 'mms' && !carriesGroupMms(inbox)) throw tollFreeGroupMms('conversation_id', inbox);
  }
  const c = b.content;
  if (c.template !== undefined && !getTemplate(ctx.db, teamId, c.template)) throw noSuchTemplate('content.template', c.template);

  const request: ScheduledRequest = {
    phone_number: b.phone_number,
    conversation_id: b.conversation_id,
    list_id: b.list_id,
    targets: b.targets,
    content: {
      // A blank text beside a template is no text (the template is the body).
      text: c.template !== undefined && !c.text?.trim() ? undefined : c.text,
      template: c.template,
      to: c.to,
      attachments: c.attachments?.map((a) => ({ name: a.name, type: a.type, url: a.url })),
      gallery: c.gallery,
    },
  };
  // Stored as JSON: drop the keys the client did not give.
  return { inboxId: inbox.id, userId, localId: b.local_id ?? '', executeAt: when.ms, request: JSON.parse(JSON.stringify(request)) as ScheduledRequest };
}

export function loadSchedule(ctx: AppContext, teamId: number, id: number): store.ScheduleRow {
  const row = store.getSchedule(ctx.db, teamId, id);
  if (!row) throw noSuchSchedule('id', id);
  return row;
}

/**
 * Gap D4: once the scheduler ran it (sent or failed), a schedule is history, not editable. Nor
 * is one whose send has started (its send key exists: a broadcast being written, chunk by chunk).
 */
function assertPending(ctx: AppContext, row: store.ScheduleRow, action: string) {
  if (row.state !== 'pending') throw alreadyRan('id', row, action);
  if (getSendKey(ctx.db, row.teamId, 'schedule', String(row.id))) throw beingSent('id', row, action);
}

export function createSchedule(ctx: AppContext, teamId: number, b: ScheduleBody): store.ScheduleRow {
  return inTransaction(ctx.db, () => store.insertSchedule(ctx.db, teamId, validate(ctx, teamId, b), ctx.clock.now(teamId)));
}

/** PUT: the same body and rules as create; replaces the request, rev + 1. */
export function replaceSchedule(ctx: AppContext, teamId: number, id: number, b: ScheduleBody): store.ScheduleRow {
  return inTransaction(ctx.db, () => {
    const before = loadSchedule(ctx, teamId, id);
    assertPending(ctx, before, 'changed');
    return store.replaceSchedule(ctx.db, before, validate(ctx, teamId, b), ctx.clock.now(teamId));
  });
}

/** DELETE: cancels a pending schedule by removing it; one that already ran is refused (inf). */
export function cancelSchedule(ctx: AppContext, teamId: number, id: number) {
  inTransaction(ctx.db, () => {
    assertPending(ctx, loadSchedule(ctx, teamId, id), 'cancelled');
    store.deleteSchedule(ctx.db, teamId, id);
  });
}
