import type { Config } from './config.js';
import type { Db } from './db/open.js';
import type { Clock, IdSource } from './mock/clock.js';

/** Everything a route needs, built once per app instance (nothing lives at module scope). */
export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  ids: IdSource;
}

declare module 'fastify' {
  interface FastifyInstance {
    mock: AppContext;
  }
  interface FastifyRequest {
    /** The authenticated team; set by the auth hook on every /v1 and /v2 route. */
    teamId: number;
  }
}
