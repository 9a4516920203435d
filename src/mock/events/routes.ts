import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../domain/time.js';
import { EVENT_TYPES, listEvents, type EventType } from '../../resources/events/store.js';
import { answerWithWait, listQuery } from '../list-query.js';

const entry = z.object({
  id: z.number().int(),
  type: z.enum(EVENT_TYPES),
  created: z.string(),
  event_data: z.record(z.string(), z.unknown()).describe('Exactly what a webhook payload carries as event_data'),
});

/** GET /__mock/events (team): every event the mock emitted for the team, webhook or not. */
export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  app.get(
    '/__mock/events',
    {
      schema: {
        tags: ['mock'],
        querystring: z.strictObject({ type: z.enum(EVENT_TYPES).optional(), ...listQuery }),
        response: { 200: z.object({ entries: z.array(entry), last_id: z.number().int() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const f = { type: q.type, sinceId: q.since_id };
      return answerWithWait(ctx.db, 'events', req.teamId, q.wait, ctx.closing, () =>
        listEvents(ctx.db, req.teamId, f, q.limit, q.order).map((e) => ({ id: e.id, type: e.type as EventType, created: toIso(e.created), event_data: e.data })),
      );
    },
  );
};
