import { describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';

// Requests that real Heymarket client code sends (issue #8): they must work as in production.

const LIST_CALLS: Array<[string, string]> = [
  ['POST', '/v1/contacts'],
  ['POST', '/v1/contacts/count'],
  ['POST', '/v1/tags'],
  ['POST', '/v1/surveys'],
  ['POST', '/v1/lists'],
  ['POST', '/v1/templates'],
  ['POST', '/v1/messages/all'],
  ['POST', '/v1/messages/all/count'],
  ['POST', '/v2/contacts/list'],
  ['POST', '/v1/conversations'],
  ['POST', '/v1/conversations/count'],
];

async function send(t: TestApp, method: string, path: string, body: unknown) {
  const auth = await t.auth();
  return t.http[method.toLowerCase() as 'post'](path).set('Authorization', auth).set('Content-Type', 'application/json').send(JSON.stringify(body));
}

describe("PHP's json_encode([]) as the body of a list or count call", () => {
  it.each(LIST_CALLS)('%s %s with [] answers like an empty filter', async (method, path) => {
    const t = await startApp();
    const withArray = await send(t, method, path, []);
    const withObject = await send(t, method, path, {});
    expect(withArray.status, JSON.stringify(withArray.body)).toBe(200);
    expect(withArray.body).toEqual(withObject.body);
  });

  it('a non-empty array is still refused with a 400 that names the body', async () => {
    const t = await startApp();
    const res = await send(t, 'POST', '/v1/contacts', [1]);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_data');
  });
});

describe('page sizes above 100', () => {
  async function withContacts(n: number) {
    const t = await startApp();
    const items = Array.from({ length: n }, (_, i) => ({ phone: `1415${String(5600000 + i)}`, first: `C${i}` }));
    for (let i = 0; i < n; i += 1000) {
      const res = await t.http.post('/v1/batch/contacts').set('Authorization', await t.auth()).send(items.slice(i, i + 1000));
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    }
    return t;
  }

  it('serves limit 200 on /v1/messages/all, 500 on /v1/contacts, 1000 on /v2/contacts/list', async () => {
    const t = await withContacts(1001);
    const auth = await t.auth();
    const contacts = await t.http.post('/v1/contacts').set('Authorization', auth).send({ limit: 500, page: 0 });
    expect(contacts.status).toBe(200);
    expect(contacts.body).toHaveLength(500);
    const v2 = await t.http.post('/v2/contacts/list').set('Authorization', auth).send({ limit: 1000, page: 0 });
    expect(v2.status).toBe(200);
    expect(v2.body).toHaveLength(1000);
    for (let i = 0; i < 120; i++) {
      const sent = await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: 10, creator_id: 1, phone_number: `1415${5600000 + i}`, text: `m${i}` });
      expect(sent.status).toBe(200);
    }
    const all = await t.http.post('/v1/messages/all').set('Authorization', auth).send({ limit: 200 });
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(120);
  });

  it('clamps a limit above 1000 to a page of 1000 instead of refusing it', async () => {
    const t = await withContacts(1001);
    const res = await t.http.post('/v1/contacts').set('Authorization', await t.auth()).send({ limit: 50_000, page: 0 });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1000);
  });

  it('still refuses a limit of 0 or a fraction, naming limit', async () => {
    const t = await startApp();
    for (const limit of [0, -5, 2.5]) {
      const res = await t.http.post('/v1/tags').set('Authorization', await t.auth()).send({ limit });
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('limit');
    }
  });
});
