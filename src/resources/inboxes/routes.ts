import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inboxList } from './schemas.js';
import { serializeInbox } from './serialize.js';
import * as store from './store.js';

export const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.mock;

  // Bare array, numbers without '+' (spec inboxes-team.md: the reference pages, not the old guide).
  app.get(
    '/v1/inboxes',
    {
      schema: {
        tags: ['inboxes'],
        description: "The inboxes of the credential's team. Also a cheap credential check.",
        response: { 200: inboxList },
      },
    },
    async (req) => store.listInboxes(db, req.teamId).map(serializeInbox),
  );
};
