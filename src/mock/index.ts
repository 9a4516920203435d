import type { FastifyInstance } from 'fastify';
import { agentRoutes } from './agent/routes.js';
import { clockRoutes } from './clock/routes.js';
import { deliveryRoutes } from './delivery/routes.js';
import { eventRoutes } from './events/routes.js';
import { faultRoutes } from './faults/routes.js';
import { healthRoutes } from './health/routes.js';
import { inboundRoutes } from './inbound/routes.js';
import { infoRoutes } from './info/routes.js';
import { outboxRoutes } from './outbox/routes.js';
import { resetRoutes, type ResetRouteOptions } from './reset/routes.js';
import { adminScope, teamScope } from './scope.js';
import { snapshotRoutes } from './snapshot/routes.js';
import { teamRoutes } from './teams/routes.js';
import type { WebhookEngine } from './webhooks/engine.js';
import { webhookRoutes } from './webhooks/routes.js';

export interface MockOptions extends ResetRouteOptions {
  /** When the app started serving (real time), for GET /__mock/info. */
  started: number;
  webhooks: WebhookEngine;
}

/** The control plane's route table: every /__mock/* capability, one plugin each, by scope. */
export async function registerMock(app: FastifyInstance, opts: MockOptions) {
  await app.register(healthRoutes);
  await app.register(resetRoutes, opts); // team or admin: decides per request
  await app.register(async (admin) => {
    adminScope(admin, app.mock.config.adminToken);
    await admin.register(infoRoutes, { started: opts.started });
    await admin.register(teamRoutes, { seed: opts.seed, auth: opts.auth, faults: opts.faults });
  });
  await app.register(async (team) => {
    teamScope(team, opts.auth);
    await team.register(clockRoutes);
    await team.register(outboxRoutes);
    await team.register(eventRoutes);
    await team.register(deliveryRoutes);
    await team.register(inboundRoutes);
    await team.register(agentRoutes);
    await team.register(faultRoutes, { faults: opts.faults });
    await team.register(webhookRoutes, { engine: opts.webhooks });

    await team.register(snapshotRoutes, { seed: opts.seed });
  });
}
