import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** GET /__mock/health: always open, 200 once the store is open. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/__mock/health',
    { schema: { tags: ['mock'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
};
