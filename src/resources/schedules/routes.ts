import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, ok } from '../../wire/primitives.js';
import { scheduleBody, scheduled } from './schemas.js';
import { serializeSchedule } from './serialize.js';
import { cancelSchedule, createSchedule, loadSchedule, replaceSchedule } from './service.js';

const tags = ['schedules'];

/**
 * Scheduled messages (scheduled-messages.md). Reads are pure: sending happens in
 * src/mock/scheduler.ts when the clock reaches `execute`.
 */
export const scheduleRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;

  // Gap D1: create and update answer the Scheduled object; delete answers "ok".
  app.post('/v1/schedule', { schema: { tags, body: scheduleBody, response: { 200: scheduled } } }, async (req) =>
    serializeSchedule(createSchedule(ctx, req.teamId, req.body)),
  );

  app.get('/v1/schedule/:id', { schema: { tags, params: idParams, response: { 200: scheduled } } }, async (req) =>
    serializeSchedule(loadSchedule(ctx, req.teamId, req.params.id)),
  );

  app.put('/v1/schedule/:id', { schema: { tags, params: idParams, body: scheduleBody, response: { 200: scheduled } } }, async (req) =>
    serializeSchedule(replaceSchedule(ctx, req.teamId, req.params.id, req.body)),
  );

  app.delete('/v1/schedule/:id', { schema: { tags, params: idParams, response: { 200: ok } } }, async (req) => {
    cancelSchedule(ctx, req.teamId, req.params.id);
    return 'ok' as const;
  });
};
