import type { FastifyInstance } from 'fastify';
import { clockRoutes } from './clock/routes.js';
import { healthRoutes } from './health/routes.js';
import { infoRoutes } from './info/routes.js';
import { resetRoutes, type ResetRouteOptions } from './reset/routes.js';
import { adminScope, teamScope } from './scope.js';
import { snapshotRoutes } from './snapshot/routes.js';
import { teamRoutes } from './teams/routes.js';

export interface MockOptions extends ResetRouteOptions {
  /** When the app started serving (real time), for GET /__mock/info. */
  started: number;
}

/** The control plane's route table: every /__mock/* capability, one plugin each, by scope. */
export async function registerMock(app: FastifyInstance, opts: MockOptions) {
  await app.register(healthRoutes);
  await app.register(resetRoutes, opts); // team or admin: decides per request
  await app.register(async (admin) => {
    adminScope(admin, app.mock.config.adminToken);
    await admin.register(infoRoutes, { started: opts.started });
    await admin.register(teamRoutes, { seed: opts.seed, auth: opts.auth });
  });
  await app.register(async (team) => {
    teamScope(team, opts.auth);
    await team.register(clockRoutes);
    await team.register(snapshotRoutes, { auth: opts.auth });
  });
}
