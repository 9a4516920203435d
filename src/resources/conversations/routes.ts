import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { bodyOrEmpty, countString, idParams, ok } from '../../wire/primitives.js';
import { presentConversations } from './present.js';
import * as schemas from './schemas.js';
import * as service from './service.js';
import * as store from './store.js';

const tags = ['conversations'];

/** conversations.md: list, count, get, open/close, read/unread, reassign, transfer. Writes answer "ok". */
export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;

  app.post(
    '/v1/conversations',
    { schema: { tags, body: bodyOrEmpty(schemas.listBody), response: { 200: z.array(schemas.conversation) } } },
    async (req) => presentConversations(ctx, req.teamId, service.listConversations(ctx, req.teamId, req.body)),
  );

  // Gap V5: the count is a JSON string, like messages/count.
  app.post(
    '/v1/conversations/count',
    { schema: { tags, body: bodyOrEmpty(schemas.listBody), response: { 200: countString } } },
    async (req) => String(service.countConversations(ctx, req.teamId, req.body)),
  );

  app.get('/v1/conversations/:id', { schema: { tags, params: idParams, response: { 200: schemas.conversation } } }, async (req) => {
    const row = store.getConversation(ctx.db, req.teamId, req.params.id);
    if (!row) throw notFound(`no conversation with id ${req.params.id}`, 'id');
    return presentConversations(ctx, req.teamId, [row])[0]!;
  });

  const write = { tags, response: { 200: ok } };

  app.post('/v1/conversations/open', { schema: { ...write, body: schemas.openCloseBody } }, async (req) => {
    service.setStatus(ctx, req.teamId, req.body, 'open');
    return 'ok' as const;
  });

  app.post('/v1/conversations/close', { schema: { ...write, body: schemas.openCloseBody } }, async (req) => {
    service.setStatus(ctx, req.teamId, req.body, 'closed');
    return 'ok' as const;
  });

  app.post('/v1/conversations/read', { schema: { ...write, body: schemas.readBody } }, async (req) => {
    service.setRead(ctx, req.teamId, req.body, true);
    return 'ok' as const;
  });

  app.post('/v1/conversations/unread', { schema: { ...write, body: schemas.readBody } }, async (req) => {
    service.setRead(ctx, req.teamId, req.body, false);
    return 'ok' as const;
  });

  app.post('/v1/conversations/reassign', { schema: { ...write, body: schemas.reassignBody } }, async (req) => {
    service.reassign(ctx, req.teamId, req.body);
    return 'ok' as const;
  });

  app.post('/v1/conversations/transfer', { schema: { ...write, body: schemas.transferBody } }, async (req) => {
    service.transfer(ctx, req.teamId, req.body);
    return 'ok' as const;
  });
};
