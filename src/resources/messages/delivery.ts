import type { AppContext } from '../../context.js';
import { badDataAt, notFound } from '../../core/errors.js';
import type { DueJob } from '../../core/runner.js';
import { inTransaction } from '../../db/open.js';
import { statusMoveProblem } from '../../domain/delivery.js';
import * as store from './store.js';
import type { MessageRow } from './store.js';

// Delivery status (control-plane spec, Simulating the carrier): an outbound message moves
// queued → sent → delivered, or to failed with an error_code. The send path writes it as sent
// and plans its next step (src/resources/outbox/store.ts); this job takes that step when the
// team's clock reaches it, and POST /__mock/messages/{id}/status moves it by hand.

export type DeliveryStatus = 'sent' | 'delivered' | 'failed';

/** A stored message of the team, moved by hand, under the final-state rules (src/domain/delivery.ts). */
export function moveStatus(
  ctx: AppContext,
  teamId: number,
  id: number,
  to: { status: DeliveryStatus; error_code?: string | undefined; error_message?: string | undefined },
): MessageRow {
  return inTransaction(ctx.db, () => {
    const m = store.getMessage(ctx.db, teamId, id);
    if (!m) throw notFound(`no message with id ${id} in this team`, 'id');
    const errorField = to.error_code !== undefined ? 'error_code' : to.error_message !== undefined ? 'error_message' : undefined;
    const problem = statusMoveProblem(m, { status: to.status, errorField });
    if (problem) throw badDataAt(problem.field, problem.message).coded('invalid_value');
    const failed = to.status === 'failed';
    return store.setDeliveryStatus(ctx.db, teamId, id, {
      status: to.status,
      errorCode: failed ? (to.error_code ?? '30008') : null,
      errorMessage: failed ? (to.error_message ?? 'Unknown error') : null,
      updated: ctx.clock.now(teamId),
    });
  });
}

/**
 * The carrier as due work. `onReply` gets the magic recipients that answer once delivered
 * (STOP, or "Re: <text>"); it runs after the step's commit, in message order.
 */
export function deliveryJob(ctx: AppContext, onReply: (teamId: number, m: MessageRow, reply: 'stop' | 'echo') => void | Promise<void>): DueJob {
  return {
    name: 'delivery',
    teams: () => store.teamsWithDeliveries(ctx.db),
    nextDue: (teamId, until) => store.nextDeliveryAt(ctx.db, teamId, until),
    due: (teamId, now) => store.dueDeliveries(ctx.db, teamId, now),
    run: async (teamId, item) => {
      const done = inTransaction(ctx.db, () => {
        const m = store.getMessage(ctx.db, teamId, item.id);
        if (!m?.deliverNext) return undefined;
        const step = m.deliverNext;
        const moved = store.setDeliveryStatus(ctx.db, teamId, m.id, {
          status: step.status,
          errorCode: step.errorCode ?? null,
          errorMessage: step.errorMessage ?? null,
          updated: ctx.clock.now(teamId),
        });
        return { moved, reply: step.reply };
      });
      if (!done) return 'skipped';
      if (done.reply) await onReply(teamId, done.moved, done.reply);
      return done.moved.status;
    },
    giveUp: (teamId, item) => store.clearDeliveryStep(ctx.db, teamId, item.id),
  };
}
