import type { FaultRules } from '../faults/store.js';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../domain/time.js';
import type { Authenticator } from '../../http/auth.js';
import { registerStreamingJsonBody } from '../../http/json-stream.js';
import { bodyOrEmpty } from '../../wire/primitives.js';
import { parseTeamBody } from '../seed/parse-sliced.js';
import { teamBody, type SeedTeam } from '../seed/schemas.js';
import { newApiKey, newSecret, secretParams, teamCredentials, teamParams } from './schemas.js';
import { teamGate } from '../../db/team-gate.js';
import { createTeam, deleteTeam } from '../rewrite/service.js';
import * as service from './service.js';
import type { TeamCredentials } from './store.js';
import { teamCredentials as listCredentials } from './store.js';

export interface TeamRouteOptions {
  seed: SeedTeam[];
  auth: Authenticator;
  faults: FaultRules;
}

/**
 * A snapshot's team may be large: POST /__mock/teams and PUT /__mock/snapshot take bodies up to
 * this size (or HEYMARKET_MOCK_BODY_LIMIT if larger). 80 MiB holds the snapshot of a team at the
 * contacts limit (100 000 contacts: 72 MB), the largest size measured within the 100 ms stall
 * bound (docs/reliability.md, decision R7).
 */
const LARGE_BODY_LIMIT = 80 * 1024 * 1024;

/** The validator of a route that validates its body itself, in slices (the body is passed on as parsed). */
const passBodyOn = () => (data: unknown) => ({ value: data });

/**
 * Adds routes whose large body is parsed and validated in slices (decision R7): in a context of
 * their own with the streaming parser, and with route options that pass the parsed body on (the
 * handler validates it; the route's schema stays for the OpenAPI document).
 */
export async function largeBodyRoutes<A extends FastifyInstance>(app: A, add: (big: A, options: { bodyLimit: number; validatorCompiler: typeof passBodyOn }) => void) {
  const bodyLimit = Math.max(app.mock.config.bodyLimit, LARGE_BODY_LIMIT);
  await app.register(async (big) => {
    registerStreamingJsonBody(big, { bodyLimit });
    add(big as A, { bodyLimit, validatorCompiler: passBodyOn });
  });
}

const tags = ['mock'];
const present = (t: TeamCredentials) => ({ ...t, created: toIso(t.created) });
const noContent = { 204: z.null().describe('Done') };

/** Teams: a tenant per test run, and its credentials (admin scope). */
export const teamRoutes: FastifyPluginAsyncZod<TeamRouteOptions> = async (app, opts) => {
  const ctx = app.mock;

  // A team document may be large: its body is parsed and validated in slices (decision R7), so the
  // route's own validator only passes the parsed body on; the schema stays for the OpenAPI document.
  await largeBodyRoutes(app, (big, large) => {
    big.post(
      '/__mock/teams',
      {
        ...large,
        schema: {
          tags,
          security: [],
          description:
            'Creates an isolated team. Body optional: a team in the seed-file format, every part optional (absent parts are generated like the default team, with ids, numbers and credentials no other team has). A snapshot\'s `team` recreates that team.',
          body: bodyOrEmpty(teamBody),
          response: { 201: teamCredentials },
        },
      },
      async (req, reply) => {
        const body = await parseTeamBody(req.body);
        const id = await createTeam(ctx, opts.seed, () => service.buildTeamSpec(ctx, opts.seed, body));
        return reply.code(201).send(present(service.requireTeam(ctx, id)));
      },
    );
  });

  // A team being written whole is shown once written: these wait for the gate (src/db/team-gate.ts).
  const gate = teamGate(ctx.db);
  app.addHook('preHandler', async (req) => {
    const id = (req.params as { id?: number } | undefined)?.id;
    await (typeof id === 'number' ? gate.pass(id) : req.method === 'GET' ? gate.quiet() : undefined);
  });

  app.get('/__mock/teams', { schema: { tags, security: [], response: { 200: z.array(teamCredentials) } } }, async () => listCredentials(ctx.db).map(present));

  app.get('/__mock/teams/:id', { schema: { tags, security: [], params: teamParams, response: { 200: teamCredentials } } }, async (req) =>
    present(service.requireTeam(ctx, req.params.id)),
  );

  app.delete('/__mock/teams/:id', { schema: { tags, security: [], params: teamParams, response: noContent } }, async (req, reply) => {
    await deleteTeam(ctx, opts.seed, req.params.id); // its cached JWTs are forgotten as the gate releases it
    opts.faults.clear(req.params.id); // a team recreated with this id starts without its rules (F13)
    return reply.code(204).send(null);
  });

  app.post('/__mock/teams/:id/secrets', { schema: { tags, security: [], params: teamParams, response: { 201: newSecret } } }, async (req, reply) =>
    reply.code(201).send(service.addSecret(ctx, req.params.id)),
  );

  app.delete('/__mock/teams/:id/secrets/:secret_id', { schema: { tags, security: [], params: secretParams, response: noContent } }, async (req, reply) => {
    service.revokeSecret(ctx, req.params.id, req.params.secret_id);
    opts.auth.reset();
    return reply.code(204).send(null);
  });

  app.post('/__mock/teams/:id/api-key', { schema: { tags, security: [], params: teamParams, response: { 200: newApiKey } } }, async (req) =>
    service.rollApiKey(ctx, req.params.id),
  );
};
