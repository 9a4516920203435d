import type { AppContext } from '../../context.js';
import { ApiError } from '../../core/errors.js';
import type { DueItem, DueJob } from '../../core/runner.js';
import { inTransaction } from '../../db/open.js';
import { sendMessage, sendOne, type SendRequest } from '../messages/send.service.js';
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

type Outcome = { state: 'sent'; messageId: number } | { state: 'failed'; error: string };

/** A send's error as the schedule's outcome; an unexpected one is reported too. */
function failure(e: unknown, row: store.ScheduleRow, onError: (err: unknown, where: string) => void): Outcome {
  if (!(e instanceof ApiError)) onError(e, `schedule ${row.id}`);
  return {
    state: 'failed',
    error: e instanceof ApiError ? e.message : `internal error in heymarket-mock: ${e instanceof Error ? e.message : String(e)}`,
  };
}

/** The pending schedule if it is due now (another runner, or a cancel, may have got there first). */
function stillDue(ctx: AppContext, teamId: number, id: number): store.ScheduleRow | undefined {
  const row = store.getSchedule(ctx.db, teamId, id);
  return row && row.state === 'pending' && row.executeAt <= ctx.clock.now(teamId) ? row : undefined;
}

/**
 * Runs one schedule: sends it through the one send path and marks it sent, or failed with the
 * reason a send was refused. Throws only when the bookkeeping itself fails (the runner counts the
 * tries); an unexpected error inside the send is recorded as a failure and reported.
 *
 * One message: send and mark in one transaction (sendOne's nests as a savepoint: a refused send
 * leaves nothing behind, and a failed mark takes the send with it). A list broadcast is written
 * in chunks with other requests served in between (messages/broadcast.ts), so it cannot sit in
 * a transaction: it is sent first, keyed by the schedule, then marked; a run that dies between
 * the two replays that send next time, and cancel and replace refuse a schedule once its send
 * key exists.
 */
async function runOne(ctx: AppContext, teamId: number, item: DueItem, onError: (err: unknown, where: string) => void): Promise<string> {
  const first = stillDue(ctx, teamId, item.id);
  if (!first) return 'skipped';
  if (first.request.list_id === undefined) {
    return inTransaction(ctx.db, () => {
      const row = stillDue(ctx, teamId, item.id);
      if (!row) return 'skipped';
      let outcome: Outcome;
      try {
        outcome = { state: 'sent', messageId: sendOne(ctx, teamId, toSendRequest(row), { scheduleId: row.id }).id };
      } catch (e) {
        outcome = failure(e, row, onError);
      }
      store.markRan(ctx.db, row, outcome, ctx.clock.now(teamId));
      return outcome.state;
    });
  }
  let outcome: Outcome;
  try {
    outcome = { state: 'sent', messageId: (await sendMessage(ctx, teamId, toSendRequest(first), { scheduleId: first.id })).id };
  } catch (e) {
    outcome = failure(e, first, onError);
  }
  return inTransaction(ctx.db, () => {
    const row = store.getSchedule(ctx.db, teamId, first.id);
    // A refused send wrote no key, so the schedule could be cancelled or replaced meanwhile: the
    // outcome was of a request that no longer stands.
    if (!row || row.state !== 'pending' || row.rev !== first.rev) return 'skipped';
    store.markRan(ctx.db, row, outcome, ctx.clock.now(teamId));
    return outcome.state;
  });
}
