import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../../http/auth.js';
import { LARGE_BODY_LIMIT } from '../teams/routes.js';
import { snapshotAnswer, snapshotBody } from './schemas.js';
import { restoreSnapshot, takeSnapshot } from './service.js';

/** GET and PUT /__mock/snapshot (team scope): the team's whole state, taken and put back. */
export const snapshotRoutes: FastifyPluginAsyncZod<{ auth: Authenticator }> = async (app, opts) => {
  const ctx = app.mock;
  const tags = ['mock'];

  app.get('/__mock/snapshot', { schema: { tags, response: { 200: snapshotAnswer } } }, async (req) => takeSnapshot(ctx, req.teamId));

  app.put(
    '/__mock/snapshot',
    {
      bodyLimit: Math.max(ctx.config.bodyLimit, LARGE_BODY_LIMIT),
      schema: {
        tags,
        description: "Replaces the team's state with a snapshot taken from the same team: ids and timestamps kept; afterwards every API answer is what it was when the snapshot was taken.",
        body: snapshotBody,
        response: { 200: z.object({ status: z.literal('restored'), team: z.number().int() }) },
      },
    },
    async (req) => {
      restoreSnapshot(ctx, req.teamId, req.body.team);
      opts.auth.reset(); // the snapshot's credentials are the team's from now on
      return { status: 'restored' as const, team: req.teamId };
    },
  );
};
