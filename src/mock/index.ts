import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './health/routes.js';
import { resetRoutes, type ResetRouteOptions } from './reset/routes.js';

/** The control plane's route table: every /__mock/* capability, one plugin each. */
export async function registerMock(app: FastifyInstance, opts: ResetRouteOptions) {
  await app.register(healthRoutes);
  await app.register(resetRoutes, opts);
}
