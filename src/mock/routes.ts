import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resetStore } from '../db/seed.js';
import { notFound } from '../http/errors.js';
import type { Authenticator } from '../http/auth.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { SeedTeam } from '../db/seed-file.js';
import { getTeam } from '../resources/team/store.js';

// The control plane the real service does not have: /__mock/*. No authentication.

export interface MockRouteOptions {
  seed: SeedTeam[];
  auth: Authenticator;
  limiter: RateLimiter;
}

export const mockRoutes: FastifyPluginAsyncZod<MockRouteOptions> = async (app, opts) => {
  const { db, clock, ids } = app.mock;

  app.get(
    '/__mock/health',
    { schema: { tags: ['mock'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.post(
    '/__mock/reset',
    {
      schema: {
        tags: ['mock'],
        security: [],
        querystring: z.object({ team: z.coerce.number().int().positive().optional() }),
        response: { 200: z.object({ status: z.literal('reset'), team: z.number().int().nullable() }) },
      },
    },
    async (req) => {
      const team = req.query.team;
      if (team !== undefined && !getTeam(db, team) && !opts.seed.some((t) => t.id === team)) {
        throw notFound(`no team with id ${team}`, 'team');
      }
      resetStore(db, opts.seed, clock, ids, team);
      opts.auth.reset();
      opts.limiter.reset();
      return { status: 'reset' as const, team: team ?? null };
    },
  );
};
