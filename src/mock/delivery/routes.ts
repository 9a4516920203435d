import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { moveStatus } from '../../resources/messages/delivery.js';
import { presentMessages } from '../../resources/messages/present.js';
import { message } from '../../resources/messages/schemas.js';
import { idParams } from '../../wire/primitives.js';

export const statusBody = z.strictObject({
  status: z.enum(['sent', 'delivered', 'failed']),
  error_code: z.string().min(1).max(64).optional().describe('Failure code (failed only), e.g. "30003"; default "30008"'),
  error_message: z.string().min(1).max(500).optional().describe('Failure text (failed only)'),
});

/** POST /__mock/messages/{id}/status (team): the carrier, by hand. Answers the Message object. */
export const deliveryRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  app.post('/__mock/messages/:id/status', { schema: { tags: ['mock'], params: idParams, body: statusBody, response: { 200: message } } }, async (req) => {
    const row = moveStatus(ctx, req.teamId, req.params.id, req.body);
    return presentMessages(ctx, req.teamId, [row])[0]!;
  });
};
