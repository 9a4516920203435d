import type { AppContext } from '../context.js';
import { inTransaction } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import { sendMessage, type SendRequest } from '../resources/messages/send.service.js';
import * as schedules from '../resources/schedules/store.js';

// The mock's scheduler: when the injected clock reaches a pending schedule's execute time, the
// stored request goes through the one send path (sendMessage) and the schedule records the
// outcome. Driven by a 1 s timer in the app, and by `advanceAndRun` for tests and the clock API.

export interface RunReport {
  /** Schedule ids sent, in the order they ran. */
  sent: number[];
  /** Schedule ids whose send was refused (the reason is in the schedule's `error`). */
  failed: number[];
  /** Unexpected errors (bugs in the mock), already recorded as failures; the caller logs them. */
  errors: unknown[];
}

const emptyReport = (): RunReport => ({ sent: [], failed: [], errors: [] });

/**
 * The stored request as a POST /v1/message/send body. sendMessage keys a scheduled send by its
 * schedule id, so a repeated run (a crash between send and mark, two apps on one file) returns the
 * first send. `local_id` is the schedule's own, or `schedule-<id>` (a broadcast needs one).
 */
export function toSendRequest(row: schedules.ScheduleRow): SendRequest {
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

/** Runs one schedule in its own transaction: sends it and marks it sent, or marks it failed. */
function runOne(ctx: AppContext, teamId: number, id: number, report: RunReport) {
  inTransaction(ctx.db, () => {
    const row = schedules.getSchedule(ctx.db, teamId, id);
    // Another runner (or a cancel) got there first.
    if (!row || row.state !== 'pending' || row.executeAt > ctx.clock.now()) return;
    let outcome: { state: 'sent'; messageId: number } | { state: 'failed'; error: string };
    try {
      // sendMessage's own transaction nests as a savepoint: a refused send leaves nothing behind.
      const res = sendMessage(ctx, teamId, toSendRequest(row), { scheduleId: row.id });
      outcome = { state: 'sent', messageId: res.id };
    } catch (e) {
      if (e instanceof ApiError) {
        outcome = { state: 'failed', error: e.message };
      } else {
        report.errors.push(e);
        outcome = { state: 'failed', error: `internal error in heymarket-mock: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    schedules.markRan(ctx.db, row, outcome, ctx.clock.stamp());
    (outcome.state === 'sent' ? report.sent : report.failed).push(row.id);
  });
}

/** Sends every pending schedule due at clock.now(), all teams, by execute time then id. */
export function runDueSchedules(ctx: AppContext): RunReport {
  const report = emptyReport();
  for (const due of schedules.dueSchedules(ctx.db, ctx.clock.now())) {
    // One schedule whose bookkeeping fails must not hold up the others due in the same tick.
    try {
      runOne(ctx, due.teamId, due.id, report);
    } catch (e) {
      report.errors.push(e);
    }
  }
  return report;
}

/**
 * Moves the clock by `ms`, stopping at each pending execute time on the way so every scheduled
 * message is sent (and dated) at its own time, then lands on now + ms. For tests and the future
 * POST /__mock/clock.
 */
export function advanceAndRun(ctx: AppContext, ms: number): RunReport {
  const { clock } = ctx;
  const target = clock.now() + ms;
  const report = emptyReport();
  for (;;) {
    const next = schedules.nextDue(ctx.db, target);
    if (next === undefined) break;
    if (next > clock.now()) clock.advance(next - clock.now());
    const r = runDueSchedules(ctx);
    report.sent.push(...r.sent);
    report.failed.push(...r.failed);
    report.errors.push(...r.errors);
    if (!r.sent.length && !r.failed.length) break; // nothing could run: do not spin
  }
  clock.advance(target - clock.now());
  return report;
}

/** Runs the due schedules every `intervalMs` (unref'ed: it never keeps the process alive). */
export function startScheduler(ctx: AppContext, onError: (err: unknown) => void, intervalMs = 1000): { stop(): void } {
  const timer = setInterval(() => {
    try {
      for (const e of runDueSchedules(ctx).errors) onError(e);
    } catch (e) {
      onError(e);
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
