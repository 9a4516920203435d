import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { teamGate } from '../../db/team-gate.js';
import { parseSnapshotBody } from '../seed/parse-sliced.js';
import type { SeedTeam } from '../seed/schemas.js';
import { largeBodyRoutes } from '../teams/routes.js';
import { snapshotAnswer, snapshotBody } from './schemas.js';
import { restoreSnapshot } from './service.js';
import { snapshotText } from './text.js';

/** GET and PUT /__mock/snapshot (team scope): the team's whole state, taken and put back. */
export const snapshotRoutes: FastifyPluginAsyncZod<{ seed: SeedTeam[] }> = async (app, opts) => {
  const ctx = app.mock;
  const tags = ['mock'];

  // Read in slices behind the team's gate (its own requests wait), then sent as the pieces: a
  // stream skips the serializer (the schema stays for the OpenAPI document) and no step copies
  // the whole text at once.
  app.get('/__mock/snapshot', { schema: { tags, response: { 200: snapshotAnswer } } }, async (req, reply) => {
    const pieces = await teamGate(ctx.db).run(req.teamId, () => snapshotText(ctx, req.teamId));
    return reply
      .type('application/json; charset=utf-8')
      .header('content-length', pieces.reduce((n, p) => n + p.length, 0))
      .send(Readable.from(pieces, { objectMode: false }) as never); // the document's text, which the reply's type cannot say
  });

  // The document is parsed and validated in slices (decision R7): the route's own validator only
  // passes the parsed body on; the schema stays for the OpenAPI document.
  await largeBodyRoutes(app, (big, large) => {
    big.put(
      '/__mock/snapshot',
      {
        ...large,
        schema: {
          tags,
          description: "Replaces the team's state with a snapshot taken from the same team: ids and timestamps kept; afterwards every API answer is what it was when the snapshot was taken.",
          body: snapshotBody,
          response: { 200: z.object({ status: z.literal('restored'), team: z.number().int() }) },
        },
      },
      async (req) => {
        const body = await parseSnapshotBody(req.body);
        await restoreSnapshot(ctx, opts.seed, req.teamId, body.team);
        return { status: 'restored' as const, team: req.teamId };
      },
    );
  });
};
