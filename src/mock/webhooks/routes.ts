import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../wire/primitives.js';
import { answerWithWait } from '../list-query.js';
import type { WebhookEngine } from './engine.js';
import { delivery, deliveryQuery, webhook, webhookSpec } from './schemas.js';
import { createWebhook, findWebhook, presentDelivery, presentWebhook, redeliver, removeWebhook } from './service.js';
import * as store from './store.js';

const tags = ['mock'];
const noContent = z.void().describe('No content');

/**
 * /__mock/webhooks (team scope): the team's webhook registrations and their delivery log
 * (control-plane spec, Webhooks). Attempts are made by the engine (./engine.ts).
 */
export const webhookRoutes: FastifyPluginAsyncZod<{ engine: WebhookEngine }> = async (app, { engine }) => {
  const ctx = app.mock;

  app.post('/__mock/webhooks', { schema: { tags, body: webhookSpec, response: { 201: webhook } } }, async (req, reply) =>
    reply.code(201).send(presentWebhook(createWebhook(ctx, req.teamId, req.body))),
  );

  app.get('/__mock/webhooks', { schema: { tags, response: { 200: z.array(webhook) } } }, async (req) =>
    store.listWebhooks(ctx.db, req.teamId).map(presentWebhook),
  );

  app.get(
    '/__mock/webhooks/deliveries',
    { schema: { tags, querystring: deliveryQuery, response: { 200: z.object({ entries: z.array(delivery), last_id: z.number().int() }) } } },
    async (req) => {
      const q = req.query;
      const f: store.DeliveryFilter = { webhookId: q.webhook_id, type: q.type, status: q.status, sinceId: q.since_id };
      return answerWithWait(ctx.db, 'deliveries', req.teamId, q.wait, ctx.closing, () => store.listDeliveries(ctx.db, req.teamId, f, q.limit, q.order).map(presentDelivery));
    },
  );

  app.post('/__mock/webhooks/deliveries/:id/redeliver', { schema: { tags, params: idParams, response: { 200: delivery } } }, async (req) =>
    presentDelivery(await redeliver(ctx, engine, req.teamId, req.params.id)),
  );

  app.get('/__mock/webhooks/:id', { schema: { tags, params: idParams, response: { 200: webhook } } }, async (req) =>
    presentWebhook(findWebhook(ctx, req.teamId, req.params.id)),
  );

  app.delete('/__mock/webhooks/:id', { schema: { tags, params: idParams, response: { 204: noContent } } }, async (req, reply) => {
    removeWebhook(ctx, req.teamId, req.params.id);
    return reply.code(204).send();
  });
};
