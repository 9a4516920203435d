import { and, asc, eq, isNotNull, lte, min, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { badData, notFound } from '../../core/errors.js';
import type { DueItem, DueJob } from '../../core/runner.js';
import { inTransaction, type Db } from '../../db/open.js';
import { messages } from '../../db/schema.js';
import type { MessageRow } from './store.js';

// Delivery status (control-plane spec, Simulating the carrier): an outbound message moves
// queued → sent → delivered, or to failed with an error_code. The send path writes it as sent
// and plans its next step (src/resources/outbox/store.ts); this job takes that step when the
// team's clock reaches it, and POST /__mock/messages/{id}/status moves it by hand.

export type DeliveryStatus = 'sent' | 'delivered' | 'failed';

const FINAL = new Set(['delivered', 'failed']);

/** A stored message of the team, moved by hand: the final-state rules, one wording each. */
export function moveStatus(
  ctx: AppContext,
  teamId: number,
  id: number,
  to: { status: DeliveryStatus; error_code?: string; error_message?: string },
): MessageRow {
  return inTransaction(ctx.db, () => {
    const m = ctx.db.select().from(messages).where(and(eq(messages.teamId, teamId), eq(messages.id, id))).get();
    if (!m) throw notFound(`no message with id ${id} in this team`, 'id');
    if (m.type === 'inbound') throw badData('status', `status: message ${id} is inbound; only outbound messages have a delivery status`, 'invalid_value');
    if (m.type === 'note') throw badData('status', `status: message ${id} is a private note; notes are never delivered`, 'invalid_value');
    if (FINAL.has(m.status) && m.status !== to.status) {
      throw badData('status', `status: message ${id} is already ${m.status}, a final state; it cannot move to ${to.status}`, 'invalid_value');
    }
    if (to.status !== 'failed' && (to.error_code !== undefined || to.error_message !== undefined)) {
      throw badData(to.error_code !== undefined ? 'error_code' : 'error_message', `${to.error_code !== undefined ? 'error_code' : 'error_message'}: only a failed message has an error`, 'invalid_value');
    }
    return ctx.db
      .update(messages)
      .set({
        status: to.status,
        errorCode: to.status === 'failed' ? (to.error_code ?? '30008') : null,
        errorMessage: to.status === 'failed' ? (to.error_message ?? 'Unknown error') : null,
        // A hand-moved message takes no further automatic step.
        deliverAt: null,
        deliverNext: null,
        updated: ctx.clock.now(teamId),
      })
      .where(and(eq(messages.teamId, teamId), eq(messages.id, id)))
      .returning()
      .get();
  });
}

function dueIds(db: Db, teamId: number, now: number): DueItem[] {
  return db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.teamId, teamId), isNotNull(messages.deliverAt), lte(messages.deliverAt, now)))
    .orderBy(asc(messages.deliverAt), asc(messages.id))
    .all();
}

/**
 * The carrier as due work. `onReply` gets the magic recipients that answer once delivered
 * (STOP, or "Re: <text>"); it runs after the step's commit, in message order.
 */
export function deliveryJob(ctx: AppContext, onReply: (teamId: number, m: MessageRow, reply: 'stop' | 'echo') => void | Promise<void>): DueJob {
  return {
    name: 'delivery',
    teams: () =>
      ctx.db
        .selectDistinct({ teamId: messages.teamId })
        .from(messages)
        .where(isNotNull(messages.deliverAt))
        .all()
        .map((r) => r.teamId),
    nextDue: (teamId, until) =>
      ctx.db
        .select({ at: min(messages.deliverAt) })
        .from(messages)
        .where(and(eq(messages.teamId, teamId), isNotNull(messages.deliverAt), lte(messages.deliverAt, until)))
        .get()?.at ?? undefined,
    due: (teamId, now) => dueIds(ctx.db, teamId, now),
    run: async (teamId, item) => {
      const done = inTransaction(ctx.db, () => {
        const m = ctx.db.select().from(messages).where(and(eq(messages.teamId, teamId), eq(messages.id, item.id))).get();
        if (!m?.deliverNext || m.deliverAt === null) return undefined;
        const step = m.deliverNext;
        const now = ctx.clock.now(teamId);
        const moved = ctx.db
          .update(messages)
          .set({
            status: step.status,
            errorCode: step.errorCode ?? null,
            errorMessage: step.errorMessage ?? null,
            deliverAt: null,
            deliverNext: null,
            updated: sql`max(${messages.updated}, ${now})`,
          })
          .where(and(eq(messages.teamId, teamId), eq(messages.id, m.id)))
          .returning()
          .get();
        return { moved, reply: step.reply };
      });
      if (!done) return 'skipped';
      if (done.reply) await onReply(teamId, done.moved, done.reply);
      return done.moved.status;
    },
    giveUp: (teamId, item) => {
      ctx.db
        .update(messages)
        .set({ deliverAt: null, deliverNext: null })
        .where(and(eq(messages.teamId, teamId), eq(messages.id, item.id)))
        .run();
    },
  };
}
