import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expectApiError, expectRejected, startApp, type TestApp } from '../support/app.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A raw HTTP request (supertest always sets Content-Length; this can stream a chunked body). */
function raw(t: TestApp, opts: { method: string; path: string; headers: Record<string, string>; chunks: string[] }) {
  const { port } = t.app.server.address() as AddressInfo;
  return new Promise<{ status: number; headers: Record<string, string>; body: unknown }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const c of opts.chunks) req.write(c);
    req.end();
  });
}

describe('error shape and request ids', () => {
  it('answers an unknown path with 404 not_found as JSON, with or without credentials', async () => {
    const t = await startApp();
    for (const res of [await t.http.get('/v1/no-such-thing'), await t.http.post('/v1/inboxes/nope').set('Authorization', await t.auth())]) {
      expectApiError(res, 404, 'not_found');
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.message).toMatch(/no such endpoint/);
    }
  });

  it('answers a malformed JSON body with 400 bad_data', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const res = await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', auth).set('Content-Type', 'application/json').send('{"users": ['), 400, 'bad_data');
    expect(res.body.message).toMatch(/not valid JSON/);
  });

  describe('refuses bodies that would pollute prototypes (400 bad_data, nothing stored)', () => {
    // Each body would be a valid update of member 2 if the poisoned key were dropped.
    const poisoned = {
      '"__proto__" key': '{"users": [{"id": 2, "first_name": "Mallory", "__proto__": {"role_id": 1}}]}',
      '"__proto__" key at the top': '{"__proto__": {"polluted": true}, "users": [{"id": 2, "first_name": "Mallory"}]}',
      '"constructor": {"prototype": ...}': '{"users": [{"id": 2, "first_name": "Mallory"}], "constructor": {"prototype": {"polluted": true}}}',
    };
    for (const [what, body] of Object.entries(poisoned)) {
      it(`a body with a ${what}`, async () => {
        const t = await startApp();
        const auth = await t.auth();
        for (const type of ['application/json', 'text/plain']) {
          const res = await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', auth).set('Content-Type', type).send(body), 400, 'bad_data', null);
          expect(res.body.message).toMatch(/prototype/);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        // The same update without the poisoned key goes through: the refusal is about that key alone.
        const clean = await t.http.post('/v1/users/update').set('Authorization', auth).send({ users: [{ id: 2, first_name: 'Mallory' }] });
        expect(clean.status).toBe(200);
      });
    }

    it('a GET body too, and "constructor" as a plain key is fine', async () => {
      const t = await startApp();
      const auth = await t.auth();
      const get = await expectRejected(t, () => t.http.get('/v1/users/get').set('Authorization', auth).set('Content-Type', 'application/json').send('{"phone": ["14155550102"], "__proto__": {"x": 1}}'), 400, 'bad_data', null);
      expect(get.body.message).toMatch(/prototype/);
      const plain = await t.http.get('/v1/users/get').set('Authorization', auth).set('Content-Type', 'application/json').send('{"phone": ["14155550102"], "constructor": "x"}');
      expect(plain.status).toBe(200);
      expect(plain.body.memberships.map((m: { id: number }) => m.id)).toEqual([2]);
    });
  });

  it('treats an empty or all-whitespace body as no body, whatever the Content-Type', async () => {
    const t = await startApp();
    const auth = await t.auth();
    for (const type of ['application/json', 'text/plain']) {
      for (const body of ['', '  \n ']) {
        const res = await t.http.get('/v1/users/get').set('Authorization', auth).set('Content-Type', type).send(body);
        expect(res.status, `${type} ${JSON.stringify(body)}`).toBe(200);
        expect(res.body.memberships).toHaveLength(3);
      }
    }
    // On a POST the body is then {} (bodyOrEmpty), so users is reported missing, not the JSON.
    const post = await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', auth).set('Content-Type', 'application/json').send(' '), 400, 'bad_data', 'users');
    expect(post.body.message).not.toMatch(/JSON/);
  });

  it('ignores a body on a GET that declares none, unread (only GET /v1/users/get reads one)', async () => {
    const t = await startApp({ bodyLimit: 1000 });
    const auth = await t.auth();
    const big = JSON.stringify({ pad: 'x'.repeat(5000) });
    for (const body of ['{"not json', '{"__proto__": {"x": 1}}', '{"inbox_id": 1}', big]) {
      const res = await t.http.get('/v1/inboxes').set('Authorization', auth).set('Content-Type', 'application/json').send(body);
      expect(res.status, body.slice(0, 40)).toBe(200);
    }
    const chunked = await raw(t, { method: 'GET', path: '/v1/inboxes', headers: { Authorization: auth, 'Transfer-Encoding': 'chunked' }, chunks: ['{"pad": "', 'x'.repeat(5000), '"}'] });
    expect(chunked.status).toBe(200);
    expectApiError(await t.http.get('/v1/no-such-thing').set('Authorization', auth).set('Content-Type', 'application/json').send('{"not json'), 404, 'not_found');
  });

  it('never answers a GET 415 for its Content-Type (GET bodies are JSON whatever it says)', async () => {
    const t = await startApp();
    const auth = await t.auth();
    for (const type of ['', 'json', 'text']) {
      expect((await t.http.get('/v1/inboxes').set('Authorization', auth).set('Content-Type', type)).status, JSON.stringify(type)).toBe(200);
      const res = await t.http.get('/v1/users/get').set('Authorization', auth).set('Content-Type', type).send(JSON.stringify({ phone: ['14155550102'] }));
      expect(res.status, JSON.stringify(type)).toBe(200);
      expect(res.body.memberships.map((m: { id: number }) => m.id)).toEqual([2]);
    }
    // A POST still needs a Content-Type that names a media type.
    expectApiError(await t.http.post('/v1/users/update').set('Authorization', auth).set('Content-Type', 'json').send('{"users": [{"id": 2}]}'), 415, 'bad_data');
  });

  it('answers HEAD /v1/users/get like the GET, body filters included', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const get = await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: ['14155550102'] });
    // (inject: supertest sends no body on HEAD)
    const head = await t.app.inject({ method: 'HEAD', url: '/v1/users/get', headers: { authorization: auth, 'content-type': 'application/json' }, payload: JSON.stringify({ phone: ['14155550102'] }) });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    const all = await t.http.get('/v1/users/get').set('Authorization', auth);
    expect(all.headers['content-length']).not.toBe(get.headers['content-length']);
  });

  it('answers a body over the limit with 413 payload_too_large (POST, and the GET with a body)', async () => {
    const t = await startApp({ bodyLimit: 1000 });
    const auth = await t.auth();
    const users = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, first_name: 'x'.repeat(10) }));
    const post = await expectRejected(t, () => t.http.post('/v1/users/update').set('Authorization', auth).send({ users }), 413, 'payload_too_large');
    expect(post.body.message).toMatch(/1000 bytes/);

    const phones = Array.from({ length: 100 }, () => '14155550101');
    const get = await t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: phones });
    expectApiError(get, 413, 'payload_too_large');
    expect(get.body.message).toMatch(/1000 bytes/);

    // The same without Content-Length: the GET body is counted while it streams.
    const chunked = await raw(t, {
      method: 'GET',
      path: '/v1/users/get',
      headers: { Authorization: auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      chunks: ['{"phone": [', ...phones.map((p) => `"${p}",`), '"14155550101"]}'],
    });
    expectApiError(chunked, 413, 'payload_too_large');

    // A small chunked GET body is read normally, and a body at the limit is fine.
    const small = await raw(t, {
      method: 'GET',
      path: '/v1/users/get',
      headers: { Authorization: auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      chunks: ['{"phone": [', '"14155550102"]}'],
    });
    expect(small.status).toBe(200);
    expect((small.body as { memberships: Array<{ id: number }> }).memberships.map((m) => m.id)).toEqual([2]);
    const atLimit = JSON.stringify({ phone: ['14155550102'], pad: 'x'.repeat(1000 - 34) });
    expect(Buffer.byteLength(atLimit)).toBe(1000);
    expect((await t.http.get('/v1/users/get').set('Authorization', auth).set('Content-Type', 'application/json').send(atLimit)).status).toBe(200);
  });

  it('sends a UUID X-Request-Id on every response: 200, 400, 401, 404', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const responses = [
      await t.http.get('/v1/inboxes').set('Authorization', auth),
      await t.http.post('/v1/users/update').set('Authorization', auth).send({ users: [] }),
      await t.http.get('/v1/team'),
      await t.http.get('/v1/nowhere'),
      await t.http.get('/__mock/health'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 400, 401, 404, 200]);
    const ids = responses.map((r) => r.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ignores a client-sent X-Request-Id and mints its own', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/inboxes').set('Authorization', await t.auth()).set('X-Request-Id', 'client-chosen');
    expect(res.headers['x-request-id']).toMatch(UUID_V4);
  });

  it('accepts a JSON body sent as text/plain (or with no Content-Type)', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const res = await t.http.post('/v1/users/update').set('Authorization', auth).set('Content-Type', 'text/plain')
      .send(JSON.stringify({ users: [{ id: 2, first_name: 'Robert' }] }));
    expect(res.status).toBe(200);
    expect(res.body.memberships[0].name).toBe('Robert Member');
    const form = await t.http.post('/v1/users/update').set('Authorization', auth).set('Content-Type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify({ users: [{ id: 2, first_name: 'Bobby' }] }));
    expect(form.status).toBe(200);
    expect(form.body.memberships[0].name).toBe('Bobby Member');
  });
});
