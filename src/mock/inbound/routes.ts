import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { receiveInbound } from '../../resources/messages/inbound.service.js';

export const inboundBody = z.strictObject({
  inbox_id: z.number().int().positive().describe('An inbox of the team'),
  from: z.string().min(1).max(320).describe('E.164 digits without + (SMS inbox) or an email address (email inbox)'),
  text: z.string().max(10_000).optional().describe('Required unless media_url is given'),
  media_url: z.url({ protocol: /^https?$/ }).max(2048).optional().describe('Makes it an MMS (SMS inboxes only)'),
  subject: z.string().max(998).optional().describe('Email only: the title of a new thread'),
});

const inboundResult = z.object({
  status: z.enum(['stored', 'blocked']),
  message_id: z.number().int().nullable(),
  conversation_id: z.number().int().nullable(),
  contact_id: z.number().int().nullable(),
  contact_uuid: z.string().nullable(),
  opt: z.enum(['opted_out', 'opted_in']).nullable(),
});

/** POST /__mock/inbound (team): a customer writes to an inbox. */
export const inboundRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  app.post('/__mock/inbound', { schema: { tags: ['mock'], body: inboundBody, response: { 201: inboundResult } } }, async (req, reply) =>
    reply.code(201).send(receiveInbound(ctx, req.teamId, req.body)),
  );
};
