import type { Response } from 'supertest';
import { expect } from 'vitest';
import { TEAM2 } from '../db/fixtures.js';
import { startApp, type TestApp } from './app.js';

// One typed client over a TestApp for every suite: requests bound to a team's credentials, and
// the create helpers several suites share. Resource suites keep only their own fixtures.

/** Authorization of team 2 (test/db/fixtures.ts): its legacy API key. */
export const TEAM2_AUTH = `Bearer ${TEAM2.apiKey}`;

export type Body = Record<string, unknown> | unknown[];
export type Query = Record<string, string | number | boolean>;

export interface Api {
  t: TestApp;
  get(path: string, query?: Query): Promise<Response>;
  post(path: string, body?: Body): Promise<Response>;
  put(path: string, body?: Body): Promise<Response>;
  delete(path: string, body?: Body): Promise<Response>;
  /** The same client with other credentials (e.g. TEAM2_AUTH). */
  as(authorization: string): Api;
}

/**
 * A client for `t`: with `authorization` every request carries it; without, each request carries
 * a fresh team-1 JWT (t.auth(), iat = the app's real time at that request).
 */
export function apiFor(t: TestApp, authorization?: string): Api {
  const header = async () => authorization ?? (await t.auth());
  const withBody = (method: 'post' | 'put' | 'delete') => async (path: string, body?: Body) => {
    const req = t.http[method](path).set('Authorization', await header());
    return body === undefined ? req : req.send(body);
  };
  return {
    t,
    get: async (path, query) => {
      const req = t.http.get(path).set('Authorization', await header());
      return query ? req.query(query) : req;
    },
    post: withBody('post'),
    put: withBody('put'),
    delete: withBody('delete'),
    as: (other) => apiFor(t, other),
  };
}

/** An app with team 1's JWT header ready (for suites that pass `auth` around) and a client. */
export async function start(config: Parameters<typeof startApp>[0] = {}) {
  const t = await startApp(config);
  return { t, auth: await t.auth(), api: apiFor(t) };
}

/** Asserts a 200 (showing the body otherwise) and answers the body. */
export async function ok<T = any>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as T;
}

/** POST /v1/contact that must succeed. */
export const createContact = (api: Api, body: Record<string, unknown>) => ok<{ id: number; rev: number; uuid: string }>(api.post('/v1/contact', body));

/** POST /v1/contacts/fields with one title; answers the field id. */
export const createField = async (api: Api, title: string) => (await ok<Array<{ id: number }>>(api.post('/v1/contacts/fields', [{ title }])))[0]!.id;

/** POST /v1/contact/set_status (by id or phone) that must succeed. */
export const setStatus = async (api: Api, body: { id?: number; phone?: string; status: string }) => {
  await ok(api.post('/v1/contact/set_status', body));
};

/** POST /v1/template that must succeed; answers its id. */
export const createTemplate = async (api: Api, body: { title: string; content: Record<string, unknown> }) => (await ok<{ id: number }>(api.post('/v1/template', body))).id;

/** GET /v1/messages (a conversation's history) that must succeed. */
export const history = (api: Api, query: Query) => ok<Array<Record<string, any>>>(api.get('/v1/messages', query));
