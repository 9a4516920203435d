import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import type { ScheduledRequest } from '../../db/schema.js';
import { badData, notFound } from '../../core/errors.js';
import { toIso } from '../../domain/time.js';
import { getConversation } from '../conversations/store.js';
import { getList } from '../lists/store.js';
import { checkSender } from '../inboxes/sender.js';
import { apiCreatorId } from '../team/store.js';
import { getTemplate } from '../templates/store.js';
import { executeAtProblem, targetOf } from '../../domain/schedule.js';
import { isProblem } from '../../domain/targets.js';
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

  const owner = apiCreatorId(ctx.db, teamId);
  const userId = b.user_id ?? owner;
  if (userId === null) throw badData('user_id', 'user_id: the team has no members to default to; give user_id');
  const hint = b.user_id === undefined ? `; user_id was omitted, so it defaulted to the team owner (member ${userId})` : '';
  const inbox = checkSender(ctx, teamId, b.inbox_id, userId, 'sms', { inbox: 'inbox_id', creator: 'user_id' }, hint);

  if (target.kind === 'group' && inbox.tollFree) {
    throw badData('targets', `targets: inbox ${inbox.id} sends from toll-free ${inbox.phone}; toll-free numbers do not support group MMS`);
  }
  if (target.kind === 'list' && !getList(ctx.db, teamId, target.listId)) {
    throw badData('list_id', `list_id: no list with id ${target.listId} in this team`);
  }
  if (target.kind === 'conversation') {
    const conv = getConversation(ctx.db, teamId, target.conversationId);
    if (!conv) throw badData('conversation_id', `conversation_id: no conversation with id ${target.conversationId} in this team`);
    if (conv.inboxId !== inbox.id) throw badData('conversation_id', `conversation_id: conversation ${conv.id} belongs to inbox ${conv.inboxId}, not ${inbox.id}`);
    if (conv.channel === 'email') throw badData('conversation_id', `conversation_id: conversation ${conv.id} is an email thread; scheduled messages are SMS/MMS`);
    if (conv.channel === 'mms' && inbox.tollFree) throw badData('conversation_id', 'conversation_id: toll-free numbers do not support group MMS');
  }
  const c = b.content;
  if (c.template !== undefined && !getTemplate(ctx.db, teamId, c.template)) {
    throw badData('content.template', `content.template: no template with id ${c.template} in this team`);
  }

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
  if (!row) throw notFound(`no scheduled message with id ${id}`, 'id');
  return row;
}

/** Gap D4: once the scheduler ran it (sent or failed), a schedule is history, not editable. */
function assertPending(row: store.ScheduleRow, action: string) {
  if (row.state === 'pending') return;
  const outcome = row.state === 'sent' ? `sent as message ${row.messageId}` : `failed: ${row.error}`;
  throw badData('id', `id: scheduled message ${row.id} already ran at ${toIso(row.executeAt)} (${outcome}); it can no longer be ${action}`);
}

export function createSchedule(ctx: AppContext, teamId: number, b: ScheduleBody): store.ScheduleRow {
  return inTransaction(ctx.db, () => store.insertSchedule(ctx.db, teamId, validate(ctx, teamId, b), ctx.clock.now(teamId)));
}

/** PUT: the same body and rules as create; replaces the request, rev + 1. */
export function replaceSchedule(ctx: AppContext, teamId: number, id: number, b: ScheduleBody): store.ScheduleRow {
  return inTransaction(ctx.db, () => {
    const before = loadSchedule(ctx, teamId, id);
    assertPending(before, 'changed');
    return store.replaceSchedule(ctx.db, before, validate(ctx, teamId, b), ctx.clock.now(teamId));
  });
}

/** DELETE: cancels a pending schedule by removing it; one that already ran is refused (inf). */
export function cancelSchedule(ctx: AppContext, teamId: number, id: number) {
  inTransaction(ctx.db, () => {
    assertPending(loadSchedule(ctx, teamId, id), 'cancelled');
    store.deleteSchedule(ctx.db, teamId, id);
  });
}
