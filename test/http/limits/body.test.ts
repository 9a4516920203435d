import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../../src/http/json-body.js';
import { expectRejected, type TestApp } from '../../support/app.js';
import { ok, start } from '../../support/api.js';

// Issue #11.2 and #11.11: src/http/json-body.ts refuses, before any handler runs, a body nested
// deeper than MAX_DEPTH, a body that is not UTF-8, and a lone UTF-16 surrogate in any string or
// key, each with a 400 naming where; the store is unchanged.

const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

/** A raw request (supertest would re-encode a Buffer body as JSON). */
function raw(t: TestApp, method: string, path: string, body: Buffer | string, headers: Record<string, string>) {
  const { port } = t.app.server.address() as AddressInfo;
  return new Promise<{ status: number; body: any; headers: Record<string, string> }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: res.headers as Record<string, string> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('body nesting', () => {
  it(`refuses a body nested more than ${MAX_DEPTH} deep with 400 invalid_json naming where, changing nothing`, async () => {
    const { t } = await start();
    const auth = await t.auth();
    const post = (path: string, text: string) => () => t.http.post(path).set('Authorization', auth).set('Content-Type', 'application/json').send(text);
    // The batch of issue #11.2: a valid item, then one nested 10 000 levels deep.
    const batch = `{"contacts":[{"contact_channels":[{"channel_type":"email","channel_id":"a@b.example"}]},{"contact_channels":${nested(10_000)}}]}`;
    const res = await expectRejected(t, post('/v2/contacts', batch), 400, 'bad_data');
    expect(res.body).toHaveProperty('error_code', 'invalid_json');
    expect(res.body.field).toBe(`contacts[1].contact_channels${'[0]'.repeat(MAX_DEPTH - 3)}`);
    expect(res.body.message).toContain(`nested more than ${MAX_DEPTH} arrays/objects deep`);
    await expectRejected(t, post('/v1/batch/contacts', `[{"phone":"14155551234"},${nested(100_000)}]`), 400, 'bad_data', '[1]' + '[0]'.repeat(MAX_DEPTH - 1));
    await expectRejected(t, post('/v1/contact', nested(MAX_DEPTH + 1)), 400, 'bad_data', '[0]'.repeat(MAX_DEPTH));
    // Also the control plane and a GET that reads a body.
    await expectRejected(t, () => t.http.post('/__mock/teams').set('Content-Type', 'application/json').send(`{"name":${nested(40, '"x"')}}`), 400, 'bad_data');
    await expectRejected(t, () => t.http.get('/v1/users/get').set('Authorization', auth).set('Content-Type', 'application/json').send(`{"email":${nested(5_000)}}`), 400, 'bad_data');
    expect(t.sql('SELECT count(*) AS n FROM contacts')).toEqual([{ n: 0 }]);
  });

  it(`passes a body exactly ${MAX_DEPTH} deep to the route (its own rules answer)`, async () => {
    const { t } = await start();
    const auth = await t.auth();
    const res = await expectRejected(t, () => t.http.post('/v1/contact').set('Authorization', auth).set('Content-Type', 'application/json').send(nested(MAX_DEPTH)), 400, 'bad_data');
    // The route's own rule refused it (a body must be an object), not the depth check.
    expect((res.body as { error_code?: string }).error_code).toBe('required_field');
  });
});

describe('body text', () => {
  it('refuses a lone surrogate in a string or a key with 400 invalid_unicode naming the field, changing nothing', async () => {
    const { t } = await start();
    const auth = await t.auth();
    const post = (path: string, text: string) => () => t.http.post(path).set('Authorization', auth).set('Content-Type', 'application/json').send(text);
    for (const [text, field] of [
      ['{"phone":"14155551234","first":"a\\ud800b"}', 'first'],
      ['{"phone":"14155551234","last":"\\udc00"}', 'last'],
      ['{"phone":"14155551234","first":"x\\ude00\\ud83d"}', 'first'],
      ['[{"phone":"14155551234"},{"phone":"14155551235","custom":{"1":"\\ud83d"}}]', '[1].custom.1'],
      ['{"phone":"14155551234","email_suppressions":[1,"ok","\\udfff"]}', 'email_suppressions[2]'],
    ] as const) {
      const path = text.startsWith('[') ? '/v1/batch/contacts' : '/v1/contact';
      const res = await expectRejected(t, post(path, text), 400, 'bad_data', field);
      expect(res.body).toHaveProperty('error_code', 'invalid_unicode');
      expect(res.body.message).toContain(`${field}: holds a lone UTF-16 surrogate`);
    }
    const key = await expectRejected(t, post('/v1/contact', '{"phone":"14155551234","custom":{"\\ud800":"x"}}'), 400, 'bad_data', 'custom');
    expect(key.body.message).toContain('custom: has a key that holds a lone UTF-16 surrogate');
    const bare = await expectRejected(t, post('/v1/contact', '"\\ud800"'), 400, 'bad_data', null);
    expect(bare.body.message).toMatch(/^body: holds a lone UTF-16 surrogate/);
  });

  it('refuses a body that is not UTF-8 with 400 invalid_unicode naming the body, changing nothing', async () => {
    const { t } = await start();
    const auth = await t.auth();
    const bad = Buffer.concat([Buffer.from('{"phone":"14155551234","first":"a'), Buffer.from([0xff]), Buffer.from('"}')]);
    const res = await expectRejected(t, () => raw(t, 'POST', '/v1/contact', bad, { Authorization: auth }), 400, 'bad_data', 'body');
    expect(res.body).toHaveProperty('error_code', 'invalid_unicode');
    expect(res.body.message).toBe('body: is not valid UTF-8 (invalid byte 0xff at offset 33); send the JSON text encoded as UTF-8');
    // An encoded surrogate (CESU-8 / WTF-8 "\ud800") and a truncated sequence are not UTF-8 either.
    for (const bytes of [[0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      const body = Buffer.concat([Buffer.from('{"phone":"14155551234","first":"'), Buffer.from(bytes), Buffer.from('"}')]);
      const r = await expectRejected(t, () => raw(t, 'POST', '/v1/contact', body, { Authorization: auth }), 400, 'bad_data', 'body');
      expect(r.body.message).toContain('offset 32');
    }
  });

  it('stores and answers exactly what valid text sends: pairs, U+FFFD itself, a BOM-led body', async () => {
    const { t, api } = await start();
    const first = 'é😀\ufffd中';
    const { id } = await ok(api.post('/v1/contact', { phone: '14155551234', first }));
    expect((await ok(api.get(`/v1/contact/${id}`))).first).toBe(first);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ phone: '14155551235', first: 'bom' }))]);
    const res = await raw(t, 'POST', '/v1/contact', withBom, { Authorization: await t.auth() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
