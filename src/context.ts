import type { Config } from './config.js';
import type { Db } from './db/open.js';
import type { Clocks } from './core/clock.js';
import type { IdSource } from './core/ids.js';
import type { DueRunner } from './core/runner.js';

/** Everything a route needs, built once per app instance (nothing lives at module scope). */
export interface AppContext {
  config: Config;
  db: Db;
  /** Every team's clock; `clock.now(teamId)` stamps that team's writes. */
  clock: Clocks;
  ids: IdSource;
  /** Runs everything that falls due by a team's clock (scheduled messages, ...). */
  runner: DueRunner;
  /** Aborted when the server starts shutting down: held long-polls answer at once. */
  closing: AbortSignal;
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
