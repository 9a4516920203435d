import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agentSend } from '../../resources/messages/agent.service.js';
import { presentMessages } from '../../resources/messages/present.js';
import { message } from '../../resources/messages/schemas.js';

const agentBody = z.strictObject({
  conversation_id: z.number().int().positive(),
  member_id: z.number().int().positive().describe("A member of the conversation's inbox"),
  text: z.string().max(10_000).optional(),
  media_url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
});

/** POST /__mock/agent/send (team): a member's reply from the app; fires message_sent. */
export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  app.post('/__mock/agent/send', { schema: { tags: ['mock'], body: agentBody, response: { 200: message } } }, async (req) =>
    presentMessages(ctx, req.teamId, [agentSend(ctx, req.teamId, req.body)])[0]!,
  );
};
