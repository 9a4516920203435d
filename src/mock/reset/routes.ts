import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { denied, notFound } from '../../core/errors.js';
import type { Authenticator } from '../../http/auth.js';
import type { RateLimiter } from '../../http/rate-limit.js';
import type { FaultRules } from '../faults/store.js';
import { getTeam } from '../../resources/team/store.js';
import { checkAdmin } from '../scope.js';
import type { SeedTeam } from '../seed/schemas.js';
import { resetTeams } from '../rewrite/service.js';

export interface ResetRouteOptions {
  seed: SeedTeam[];
  auth: Authenticator;
  limiter: RateLimiter;
  /** The fault rules (in memory): a reset drops the reset teams' rules. */
  faults: FaultRules;
}

/**
 * POST /__mock/reset (team or admin). With team credentials: that team back to its starting
 * state, nothing else touched. Without (admin): every team back to the seed file's state, or one
 * team with ?team=ID.
 */
export const resetRoutes: FastifyPluginAsyncZod<ResetRouteOptions> = async (app, opts) => {
  const ctx = app.mock;
  app.post(
    '/__mock/reset',
    {
      schema: {
        tags: ['mock'],
        security: [{ jwt: [] }, {}],
        querystring: z.object({ team: z.coerce.number().int().positive().optional() }),
        response: { 200: z.object({ status: z.literal('reset'), team: z.number().int().nullable() }) },
      },
    },
    async (req) => {
      let team = req.query.team;
      if (req.headers.authorization !== undefined) {
        const own = await opts.auth.authenticate(req);
        if (team !== undefined && team !== own) throw denied(`team: team credentials reset only their own team (${own}), not team ${team}`, 'team');
        team = own;
      } else {
        checkAdmin(req, ctx.config.adminToken);
      }
      if (team !== undefined && !getTeam(ctx.db, team) && !opts.seed.some((t) => t.id === team)) {
        throw notFound(`no team with id ${team}`, 'team');
      }
      await resetTeams(ctx, opts.seed, team); // cached JWTs are forgotten as the gate releases the team(s)
      opts.limiter.reset();
      opts.faults.clear(team);
      return { status: 'reset' as const, team: team ?? null };
    },
  );
};
