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

describe('OpenAPI error responses', () => {
  type Op = { requestBody?: { required: boolean }; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> };
  const doc = () => JSON.parse(committed()) as { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };

  it('every API operation declares 400/401/403/404/429/500 with the one Error schema', () => {
    const d = doc();
    expect(d.components.schemas.Error).toBeDefined();
    for (const [path, ops] of Object.entries(d.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const expected = path.startsWith('/__mock') ? ['500'] : ['401', '403', '404', '429', '500'];
        if (op.requestBody) expected.push('400', '413');
        for (const status of expected) {
          expect(op.responses[status]?.content?.['application/json']?.schema.$ref, `${method} ${path} ${status}`).toBe('#/components/schemas/Error');
        }
      }
    }
  });

  it('a body that may be left out is optional (DELETE /v2/lists/{id}, the list calls); a required one is required', () => {
    const d = doc();
    expect(d.paths['/v2/lists/{id}']!.delete!.requestBody!.required).toBe(false);
    expect(d.paths['/v1/contacts']!.post!.requestBody!.required).toBe(false);
    expect(d.paths['/v1/contact']!.post!.requestBody!.required).toBe(true);
  });

  it('an actual 400 answer has the documented shape', async () => {
    const t = await startApp();
    const res = await t.http.post('/v1/contact').set('Authorization', await t.auth()).send({ phone: '+1' });
    expect(res.status).toBe(400);
    const shape = doc().components.schemas.Error as { required: string[]; properties: Record<string, unknown> };
    for (const key of shape.required) expect(res.body).toHaveProperty(key);
    for (const key of Object.keys(res.body)) expect(Object.keys(shape.properties)).toContain(key);
  });
});
