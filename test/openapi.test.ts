import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, renderOpenApi } from '../scripts/openapi.js';
import { startApp } from './support/app.js';

const STALE = 'openapi/openapi.json is stale: run npm run openapi';

function committed(): string {
  try {
    return readFileSync(OPENAPI_PATH, 'utf8');
  } catch {
    throw new Error(`openapi/openapi.json is missing: run npm run openapi`);
  }
}

const pathsOf = (text: string) => Object.keys((JSON.parse(text) as { paths?: object }).paths ?? {});

describe('OpenAPI document', () => {
  it('openapi/openapi.json matches the routes', async () => {
    const file = committed();
    const fresh = await renderOpenApi();
    if (fresh !== file) {
      const now = pathsOf(fresh);
      const then = pathsOf(file);
      const added = now.filter((p) => !then.includes(p));
      const removed = then.filter((p) => !now.includes(p));
      const detail = [added.length ? `new paths: ${added.join(', ')}` : '', removed.length ? `removed paths: ${removed.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
      expect.fail(`${STALE}${detail ? ` (${detail})` : ' (schemas changed)'}`);
    }
  });

  it('GET /openapi.json serves the same document', async () => {
    const t = await startApp();
    const res = await t.http.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body, STALE).toEqual(JSON.parse(committed()));
  });

  it('describes the optional JSON body of GET /v1/users/get', () => {
    const doc = JSON.parse(committed()) as { paths: Record<string, Record<string, { requestBody?: { required?: boolean; content: Record<string, { schema: { properties: object } }> } }>> };
    const body = doc.paths['/v1/users/get']!.get!.requestBody;
    expect(body?.required).toBe(false);
    expect(Object.keys(body!.content['application/json']!.schema.properties)).toEqual(['phone', 'email']);
  });

  it('GET /docs answers the Swagger UI page', async () => {
    const t = await startApp();
    const res = await t.http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('swagger-ui');
  });
});
