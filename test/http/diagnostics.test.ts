import { describe, expect, it } from 'vitest';
import { expectRejected, mintToken, startApp } from '../support/app.js';

describe('404 hints', () => {
  it('a known path with the wrong method says which method it takes', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/contacts').set('Authorization', await t.auth());
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found', error_code: 'unknown_endpoint' });
    expect(res.body.message).toBe('no such endpoint: GET /v1/contacts; `/v1/contacts` takes POST');
  });

  it('a trailing or doubled slash gets "did you mean"', async () => {
    const t = await startApp();
    const auth = await t.auth();
    expect((await t.http.get('/v1/team/').set('Authorization', auth)).body.message).toMatch(/did you mean `\/v1\/team`\?$/);
    expect((await t.http.get('/v1//team').set('Authorization', auth)).body.message).toMatch(/did you mean `\/v1\/team`\?$/);
  });

  it('GET / points to the docs', async () => {
    const t = await startApp();
    const res = await t.http.get('/');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/\/docs/);
    expect(res.body.message).toMatch(/\/openapi\.json/);
  });

  it('an unknown path gets no made-up hint', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/nothing-here').set('Authorization', await t.auth());
    expect(res.body.message).toBe('no such endpoint: GET /v1/nothing-here');
  });

  it('a UUID on a v1 path says v1 takes the integer id', async () => {
    const t = await startApp();
    const res = await expectRejected(t, async () => t.http.get('/v1/contact/0b6f2c1e-4c43-4d6b-9d7e-2a5f1c9e8b11').set('Authorization', await t.auth()), 400, 'bad_data', 'id');
    expect(res.body.message).toMatch(/UUID.*v1 paths take the integer id.*\/v2\/contacts/);
    expect((res.body as { error_code?: string }).error_code).toBe('invalid_id');
  });
});

describe('every problem at once', () => {
  it('a body with three mistakes names the first in message/field and lists all three in errors', async () => {
    const t = await startApp();
    const res = await expectRejected(
      t,
      async () => t.http.post('/v1/contact').set('Authorization', await t.auth()).send({ phone: '+14155551234', email: 'not-an-email', tags: 'x' }),
      400,
      'bad_data',
    );
    const body = res.body as unknown as { error_code: string; errors: Array<{ field: string; message: string; error_code: string }> };
    expect(body.errors.map((e) => e.field).sort()).toEqual(['email', 'phone', 'tags']);
    expect(body.errors[0]!.field).toBe(res.body.field);
    expect(body.errors[0]!.message).toBe(res.body.message);
    expect(body.error_code).toBe(body.errors[0]!.error_code);
    for (const e of body.errors) expect(e.error_code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  });
});

describe('refusals in the log', () => {
  it('logs every 4xx at info with request id, method, path, team and error_code; 401 reasons too', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const t = await startApp({ logLevel: 'info' }, { logStream: { write: (s: string) => void lines.push(JSON.parse(s)) } });
    const refused = () => lines.filter((l) => l.msg === 'request refused');

    const bad = await t.http.post('/v1/contact').set('Authorization', await t.auth()).send({ phone: '+1' });
    expect(refused()).toEqual([
      expect.objectContaining({ level: 30, reqId: bad.headers['x-request-id'], method: 'POST', path: '/v1/contact', team: 1, status: 400, error_code: bad.body.error_code, reason: bad.body.message }),
    ]);

    const denied = await t.http.post('/v1/contact').set('Authorization', 'Bearer wrong-key').send({});
    expect(refused()[1]).toEqual(expect.objectContaining({ reqId: denied.headers['x-request-id'], status: 401, team: null, reason: denied.body.message }));
  });
});

describe('401 error codes', () => {
  it('names missing credentials, unknown keys (Bearer and Basic), bad and expired tokens', async () => {
    const t = await startApp();
    const code = async (auth?: string) => {
      const req = t.http.get('/v1/inboxes');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect(res.status).toBe(401);
      return [res.body.error_code, res.body.message];
    };
    expect((await code())[0]).toBe('missing_credentials');
    expect(await code('Bearer nope')).toEqual(['invalid_api_key', 'unknown team API key']);
    expect(await code(`Basic ${Buffer.from('nope:').toString('base64')}`)).toEqual(['invalid_api_key', expect.stringMatching(/^Basic auth: unknown team API key/)]);
    expect((await code('Bearer a.b.c'))[0]).toBe('invalid_token');
    const old = await mintToken({ iat: Math.floor(t.wall.now() / 1000) - 301 });
    expect((await code(`Bearer ${old}`))[0]).toBe('token_expired');
  });
});
