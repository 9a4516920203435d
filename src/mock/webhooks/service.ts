import type { AppContext } from '../../context.js';
import type { IdSource } from '../../core/ids.js';
import { badData, notFound } from '../../core/errors.js';
import { inTransaction, type Db } from '../../db/open.js';
import { toIso } from '../../domain/time.js';
import { EVENT_TYPES, type EventType } from '../../resources/events/store.js';
import type { WebhookEngine } from './engine.js';
import { MAX_WEBHOOKS_PER_TEAM, type WebhookSpec } from './schemas.js';
import * as store from './store.js';
import type { DeliveryRow, WebhookRow } from './store.js';

/** A generated webhook token: a 32-hex-digit secret from the id source (reproducible with HEYMARKET_MOCK_ID_SEED). */
export const generateToken = (ids: IdSource) => ids.uuid().replace(/-/g, '');

/** Writes one registration (seed or API); `events` absent means every type, now and later. */
export function addWebhook(db: Db, ids: IdSource, teamId: number, spec: WebhookSpec, now: number): WebhookRow {
  const events = spec.events ? [...new Set(spec.events)] : null;
  return store.insertWebhook(db, teamId, { url: spec.url, events, token: spec.token ?? generateToken(ids) }, now);
}

export function createWebhook(ctx: AppContext, teamId: number, spec: WebhookSpec): WebhookRow {
  return inTransaction(ctx.db, () => {
    if (store.listWebhooks(ctx.db, teamId).length >= MAX_WEBHOOKS_PER_TEAM) {
      throw badData(undefined, `a team holds at most ${MAX_WEBHOOKS_PER_TEAM} webhooks: remove some first (DELETE /__mock/webhooks/{id})`, 'webhook_limit');
    }
    return addWebhook(ctx.db, ctx.ids, teamId, spec, ctx.clock.now(teamId));
  });
}

export function findWebhook(ctx: AppContext, teamId: number, id: number): WebhookRow {
  const w = store.getWebhook(ctx.db, teamId, id);
  if (!w) throw notFound(`no webhook with id ${id} in this team`, 'id');
  return w;
}

export function removeWebhook(ctx: AppContext, teamId: number, id: number): void {
  if (!inTransaction(ctx.db, () => store.deleteWebhook(ctx.db, teamId, id))) throw notFound(`no webhook with id ${id} in this team`, 'id');
}

/** POST .../redeliver: one more attempt now; answers the delivery once the attempt is recorded. */
export async function redeliver(ctx: AppContext, engine: WebhookEngine, teamId: number, id: number): Promise<DeliveryRow> {
  const d = store.getDelivery(ctx.db, teamId, id);
  if (!d) throw notFound(`no webhook delivery with id ${id} in this team`, 'id');
  if (!store.getWebhook(ctx.db, teamId, d.webhookId)) {
    throw badData('id', `id: webhook ${d.webhookId} of delivery ${id} was deleted, so there is nowhere to redeliver it`, 'webhook_deleted');
  }
  const after = await engine.redeliver(teamId, id);
  if (!after) throw notFound(`no webhook delivery with id ${id} in this team`, 'id'); // removed meanwhile (a reset)
  return after;
}

export function presentWebhook(w: WebhookRow) {
  return { id: w.id, url: w.url, events: (w.events ?? [...EVENT_TYPES]) as EventType[], token: w.token, created: toIso(w.created) };
}

export function presentDelivery(d: DeliveryRow) {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    type: d.type as EventType,
    url: d.url,
    status: d.status,
    attempts: d.attempts.map((a) => ({ n: a.n, at: toIso(a.at), response_status: a.response_status ?? 0, error: a.error, latency_ms: a.latency_ms })),
    next_attempt_at: d.nextAttemptAt === null ? null : toIso(d.nextAttemptAt),
    created: toIso(d.created),
  };
}
