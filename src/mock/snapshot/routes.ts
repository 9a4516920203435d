import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../../http/auth.js';
import { seedTeam } from '../seed/schemas.js';
import { LARGE_BODY_LIMIT } from '../teams/routes.js';
import { restoreSnapshot, SNAPSHOT_FORMAT, takeSnapshot } from './service.js';

const teamDescription = 'The team in the seed-file format, with every row it owns under state: also a seed-file team and a POST /__mock/teams body';
const snapshot = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT).describe('The snapshot format and its version'),
  team: seedTeam.describe(teamDescription),
});
// The answer is the same document, but seedTeam's request limits count items before parsing them
// (a preprocess step, src/wire/limits.ts), which zod cannot run backwards to encode an answer; the
// answer's team is declared as the object PUT takes (its shape is the PUT body's `team`).
const snapshotAnswer = z.strictObject({
  format: snapshot.shape.format,
  team: z.record(z.string(), z.unknown()).describe(`${teamDescription} (the shape of PUT /__mock/snapshot's team)`),
});

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
        body: snapshot,
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
