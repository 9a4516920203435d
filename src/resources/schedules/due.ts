import type { AppContext } from '../../context.js';
import { ApiError } from '../../core/errors.js';
import type { DueItem, DueJob } from '../../core/runner.js';
import { inTransaction } from '../../db/open.js';
import { sendMessage, type SendRequest } from '../messages/send.service.js';
import * as store from './store.js';

// Scheduled messages as due work: when the team's clock reaches a pending schedule's execute
// time, the stored request goes through the one send path (sendMessage) and the schedule records
// the outcome. The runner (src/core/runner.ts) drives it by each team's own clock.

/**
 * The stored request as a POST /v1/message/send body. sendMessage keys a scheduled send by its
 * schedule id, so a repeated run (a crash between send and mark, two apps on one file) returns the
 * first send. `local_id` is the schedule's own, or `schedule-<id>` (a broadcast needs one).
 */
export function toSendRequest(row: store.ScheduleRow): SendRequest {
  const r = row.request;
  const c = r.content;
  const media = c.gallery?.[0]?.url ?? c.attachments?.[0]?.url;
  const req: SendRequest = { inbox_id: row.inboxId, creator_id: row.userId, local_id: row.localId || `schedule-${row.id}` };
  if (r.phone_number !== undefined) req.phone_number = r.phone_number;
  if (r.conversation_id !== undefined) req.chat_id = r.conversation_id;
  if (r.list_id !== undefined) req.list_id = r.list_id;
  if (r.targets !== undefined) req.targets = r.targets;
  if (c.template !== undefined) req.template_id = c.template;
  else if (c.text !== undefined) req.text = c.text;
  if (media !== undefined) req.media_url = media;
  return req;
}

export function scheduleJob(ctx: AppContext, onError: (err: unknown, where: string) => void): DueJob {
  return {
    name: 'schedule',
    teams: () => store.teamsWithPending(ctx.db),
    nextDue: (teamId, until) => store.nextDue(ctx.db, teamId, until),
    due: (teamId, now) => store.dueSchedules(ctx.db, teamId, now),
    run: (teamId, item) => runOne(ctx, teamId, item, onError),
    giveUp: (teamId, item, err) =>
      inTransaction(ctx.db, () => {
        const row = store.getSchedule(ctx.db, teamId, item.id);
        if (row?.state !== 'pending') return;
        const reason = err instanceof Error ? err.message : String(err);
        store.markRan(ctx.db, row, { state: 'failed', error: `internal error in heymarket-mock, gave up after repeated tries: ${reason}` }, ctx.clock.now(teamId));
      }),
  };
}

/**
 * Runs one schedule in its own transaction: sends it and marks it sent, or marks it failed with
 * the reason a send was refused. Throws only when the bookkeeping itself fails (the runner counts
 * the tries); an unexpected error inside the send is recorded as a failure and reported.
 */
function runOne(ctx: AppContext, teamId: number, item: DueItem, onError: (err: unknown, where: string) => void): string {
  return inTransaction(ctx.db, () => {
    const row = store.getSchedule(ctx.db, teamId, item.id);
    const now = ctx.clock.now(teamId);
    // Another runner (or a cancel) got there first.
    if (!row || row.state !== 'pending' || row.executeAt > now) return 'skipped';
    let outcome: { state: 'sent'; messageId: number } | { state: 'failed'; error: string };
    try {
      // sendMessage's own transaction nests as a savepoint: a refused send leaves nothing behind.
      const res = sendMessage(ctx, teamId, toSendRequest(row), { scheduleId: row.id });
      outcome = { state: 'sent', messageId: res.id };
    } catch (e) {
      if (!(e instanceof ApiError)) onError(e, `schedule ${row.id}`);
      outcome = {
        state: 'failed',
        error: e instanceof ApiError ? e.message : `internal error in heymarket-mock: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    store.markRan(ctx.db, row, outcome, now);
    return outcome.state;
  });
}
