import Fastify, { type FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import { registerJsonBody } from '../../src/http/json-body.js';
import { registerMock } from '../../src/mock/index.js';
import { registerResources } from '../../src/resources/index.js';

/** One route as the app registers it: the zod schemas its validator runs. */
export interface Route {
  method: string;
  url: string;
  body?: ZodType;
  querystring?: ZodType;
  params?: ZodType;
}

/**
 * Every /v1, /v2 and /__mock route with the very zod schemas the app validates with: the route
 * plugins are registered on a scratch Fastify instance (decorated with the real app's context,
 * never listening, handlers never run) whose onRoute hook records each route's schema.
 */
export async function routeCatalog(real: FastifyInstance): Promise<Route[]> {
  const routes: Route[] = [];
  const scratch = Fastify({ logger: false });
  scratch.decorate('mock', real.mock);
  scratch.setValidatorCompiler(() => () => ({ value: undefined }));
  scratch.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerJsonBody(scratch);
  scratch.addHook('onRoute', (r) => {
    const s = (r.schema ?? {}) as { body?: ZodType; querystring?: ZodType; params?: ZodType; hide?: boolean };
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method, url: r.url, body: s.body, querystring: s.querystring, params: s.params });
    }
  });
  // Handlers and hooks never run here, so the options only have to have the right shape.
  const unused = {} as never;
  await registerMock(scratch, { seed: [], auth: unused, limiter: unused, faults: unused, webhooks: unused, started: 0 });
  await scratch.register(async (api) => registerResources(api));
  await scratch.ready();
  await scratch.close();
  return routes.filter((r) => /^\/(v1|v2|__mock)\//.test(r.url));
}
