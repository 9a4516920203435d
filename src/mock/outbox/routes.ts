import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import * as store from '../../resources/outbox/store.js';
import { answerWithWait } from '../list-query.js';
import { outboxEntry, outboxList, outboxParams, outboxQuery } from './schemas.js';
import { serializeOutboxEntry } from './serialize.js';

const tags = ['mock'];

/** What recipients would have received (team scope): list with filters and long-poll, one, clear. */
export const outboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;

  app.get('/__mock/outbox', { schema: { tags, querystring: outboxQuery, response: { 200: outboxList } } }, async (req) => {
    const q = req.query;
    const filter: store.OutboxFilter = { to: q.to, inboxId: q.inbox_id, conversationId: q.conversation_id, messageId: q.message_id, localId: q.local_id, channel: q.channel, sinceId: q.since_id };
    return answerWithWait(ctx.db, 'outbox', req.teamId, q.wait, ctx.closing, () => store.listOutbox(ctx.db, req.teamId, filter, q.limit, q.order).map(serializeOutboxEntry));
  });

  app.get('/__mock/outbox/:id', { schema: { tags, params: outboxParams, response: { 200: outboxEntry } } }, async (req) => {
    const row = store.getOutboxEntry(ctx.db, req.teamId, req.params.id);
    if (!row) throw notFound(`no outbox entry with id ${req.params.id} in this team`, 'id');
    return serializeOutboxEntry(row);
  });

  app.delete('/__mock/outbox', { schema: { tags, response: { 204: z.null() } } }, async (req, reply) => {
    store.clearOutbox(ctx.db, req.teamId);
    return reply.code(204).send(null);
  });
};
