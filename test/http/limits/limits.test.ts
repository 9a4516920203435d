import { describe, expect, it } from 'vitest';
import { MAX_FIELDS_PER_REQUEST } from '../../../src/resources/contact-fields/schemas.js';
import { MAX_CUSTOM_KEYS } from '../../../src/resources/contacts/schemas.js';
import { MAX_TEXT } from '../../../src/resources/templates/schemas.js';
import { expectRejected, storeSnapshot, type TestApp } from '../../support/app.js';
import { apiFor, createContact, ok, start } from '../../support/api.js';

// Issue #11.1: every array and map of a request has a maximum, refused with `too_many_items`
// (naming the field and the maximum) before any item is looked at, the store unchanged; the exact
// large requests of the issue answer 4xx (or 200 under the maximum), never 500.

const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
const phone = (i: number) => `1415${String(5_000_000 + i).padStart(7, '0')}`;
const email = (i: number) => `u${i}@example.com`;
const keys = (n: number) => Object.fromEntries(many(n, (i) => [String(i + 1), 'v']));

type Res = { status: number; body: any; headers: Record<string, string> };

/** expectRejected for a `too_many_items` refusal naming `field`. */
async function rejectedTooMany(t: TestApp, send: () => PromiseLike<Res>, field: string) {
  const res = await expectRejected(t, send, 400, 'bad_data', field);
  expect(res.body).toHaveProperty('error_code', 'too_many_items');
}

/** A refusal listing `too_many_items` for `field` (with the maximum in its message), nothing changed. */
async function expectTooMany(t: TestApp, send: () => PromiseLike<Res>, field: string, max: number) {
  const before = storeSnapshot(t);
  const res = await send();
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(400);
  const problem = (res.body.errors as Array<{ field?: string; message: string; error_code: string }>).find((e) => e.error_code === 'too_many_items');
  expect(problem, JSON.stringify(res.body).slice(0, 500)).toBeDefined();
  expect(problem!.field ?? '').toBe(field);
  expect(problem!.message).toContain(`${field || 'body'}: must hold at most ${max} `);
  expect(storeSnapshot(t)).toEqual(before);
}

describe('the large requests of issue #11.1', () => {
  it('refuses them with 400 too_many_items (never a 500), changing nothing', async () => {
    const { t, api } = await start();
    const { uuid } = await createContact(api, { phone: phone(0) });
    const auth = await t.auth();
    await rejectedTooMany(t, () => api.post('/v1/users/update', { users: many(40_000, () => ({ id: 1, first_name: 'A' })) }), 'users');
    await rejectedTooMany(t, () => t.http.get('/v1/users/get').set('Authorization', auth).send({ email: many(100_000, email) }), 'email');
    await rejectedTooMany(t, () => t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: many(100_000, phone) }), 'phone');
    for (const path of ['/v1/conversations', '/v1/conversations/count']) {
      await rejectedTooMany(t, () => api.post(path, { id: 1, filters: { inboxes: many(100_000, (i) => i + 1) } }), 'filters.inboxes');
    }
    await rejectedTooMany(t, () => api.post('/v1/contact', { phone: phone(1), custom: keys(40_000) }), 'custom');
    await rejectedTooMany(t, () => api.put(`/v2/contact/${uuid}`, { custom: keys(40_000) }), 'custom');
  });

  it('serves them under the maximum: 1000 users, filter values, inboxes and custom keys', async () => {
    const { t, api } = await start();
    const auth = await t.auth();
    const updated = await ok(api.post('/v1/users/update', { users: many(1000, (i) => ({ id: 1, first_name: `A${i}` })) }));
    expect(updated.memberships.find((m: { id: number }) => m.id === 1).name).toBe('A999 Admin');
    const found = await ok(t.http.get('/v1/users/get').set('Authorization', auth).send({ email: [...many(999, email), 'ALICE@example.com'] }));
    expect(found.memberships.map((m: { id: number }) => m.id)).toEqual([1]);
    await ok(t.http.get('/v1/users/get').set('Authorization', auth).send({ phone: many(1000, phone) }));
    expect(await ok(api.post('/v1/conversations/count', { id: 0, filters: { inboxes: many(1000, (i) => 10 + (i % 2)) } }))).toBe('0');
    expect(await ok(api.post('/v1/conversations', { id: 1, filters: { inboxes: many(1000, () => 10) } }))).toEqual([]);
    // 1000 custom fields (10 requests of the most fields one may create), then a contact using all.
    const ids: number[] = [];
    for (let b = 0; b < MAX_CUSTOM_KEYS / MAX_FIELDS_PER_REQUEST; b++) {
      const made = await ok<Array<{ id: number }>>(api.post('/v1/contacts/fields', many(MAX_FIELDS_PER_REQUEST, (i) => ({ title: `f${b}-${i}` }))));
      ids.push(...made.map((f) => f.id));
    }
    const custom = Object.fromEntries(ids.map((id) => [String(id), `v${id}`]));
    const { id, uuid } = await createContact(api, { phone: phone(2), custom });
    expect((await ok(api.get(`/v1/contact/${id}`))).custom).toEqual(custom);
    const flipped = Object.fromEntries(ids.map((id) => [String(id), `w${id}`]));
    expect((await ok(api.put(`/v2/contact/${uuid}`, { custom: flipped }))).custom).toEqual(flipped);
  }, 60_000);
});

describe('every request array and map has a maximum', () => {
  it('refuses one item over each maximum, naming the field and the maximum, changing nothing', async () => {
    const { t, api } = await start();
    const { uuid } = await createContact(api, { phone: phone(0) });
    const auth = await t.auth();
    const send = (method: 'post' | 'put' | 'delete', path: string, body: unknown) => () => t.http[method](path).set('Authorization', auth).send(body as object);
    const cases: Array<[() => PromiseLike<Res>, string, number]> = [
      [send('post', '/v1/contact', { phone: phone(1), custom: keys(1001) }), 'custom', 1000],
      [send('post', '/v1/contact', { phone: phone(1), tags: many(6, (i) => ({ tag_id: i + 1 })) }), 'tags', 5],
      [send('post', '/v1/contact', { phone: phone(1), email_suppressions: many(101, (i) => i) }), 'email_suppressions', 100],
      [send('post', '/v1/batch/contacts', many(1001, (i) => ({ phone: phone(i + 10) }))), '', 1000],
      [send('post', '/v1/contacts/fields', many(101, (i) => ({ title: `t${i}` }))), '', 100],
      [send('post', '/v2/contact', { contact_channels: many(51, (i) => ({ channel_type: 'email', channel_id: email(i) })) }), 'contact_channels', 50],
      [send('put', `/v2/contact/${uuid}`, { contact_channels: many(51, (i) => ({ channel_type: 'email', channel_id: email(i) })) }), 'contact_channels', 50],
      [send('post', '/v2/contacts', { contacts: many(1001, (i) => ({ contact_channels: [{ channel_type: 'phone', channel_id: phone(i + 10) }] })) }), 'contacts', 1000],
      [send('delete', '/v2/contacts', { contact_channels: [{ channel_type: 'id', channel_ids: many(1001, () => uuid) }] }), 'contact_channels[0].channel_ids', 1000],
      [send('delete', '/v2/contacts', { contact_channels: [{ channel_type: 'id', channel_ids: [uuid] }, { channel_type: 'id', channel_ids: [uuid] }] }), 'contact_channels', 1],
      [send('post', '/v2/contacts/search', { contact_channels: many(21, () => ({ channel_ids: [phone(0)] })) }), 'contact_channels', 20],
      [send('post', '/v2/contacts/search', { contact_channels: [{ channel_ids: many(101, phone) }] }), 'contact_channels[0].channel_ids', 100],
      [send('post', '/v1/users/update', { users: many(1001, () => ({ id: 1 })) }), 'users', 1000],
      [() => t.http.get('/v1/users/get').set('Authorization', auth).send({ email: many(1001, email) }), 'email', 1000],
      [() => t.http.get('/v1/users/get').set('Authorization', auth).query(many(1001, () => 'email=a@b.co').join('&')), 'email', 1000],
      [send('post', '/v1/conversations', { id: 1, filters: { inboxes: many(1001, (i) => i + 1) } }), 'filters.inboxes', 1000],
      [send('post', '/v1/conversations/count', { id: 1, filters: { inboxes: many(1001, (i) => i + 1) } }), 'filters.inboxes', 1000],
      [send('post', '/v1/conversations/open', { inbox_id: 10, user_id: 1, targets: many(51, phone) }), 'targets', 50],
      [send('post', '/v1/conversations/reassign', { inbox_id: 10, user_id: 1, reassign_id: 2, targets: many(51, phone) }), 'targets', 50],
      [send('post', '/v1/message/send', { inbox_id: 10, creator_id: 1, text: 'hi', targets: many(51, phone) }), 'targets', 50],
      [send('post', '/v1/email/send', { inbox: 11, creator_id: 1, text: 'hi', targets: many(21, (i) => `to:${email(i)}`) }), 'targets', 20],
      [send('post', '/v1/schedule', { inbox_id: 10, targets: many(51, phone), content: { text: 'x' } }), 'targets', 50],
      [send('post', '/v1/schedule', { inbox_id: 10, content: { text: 'x', attachments: many(11, () => ({ url: 'https://x.example/a' })) } }), 'content.attachments', 10],
      [send('post', '/v1/schedule', { inbox_id: 10, content: { text: 'x', gallery: many(11, () => ({ url: 'https://x.example/a' })) } }), 'content.gallery', 10],
      [send('post', '/v1/template', { title: 'T', content: { text: 'x', gallery: many(11, () => ({ url: 'https://x.example/a' })) } }), 'content.gallery', 10],
      [send('post', '/__mock/faults', { path: '/v1/team', status: 503, headers: Object.fromEntries(many(51, (i) => [`X-H${i}`, 'v'])) }), 'headers', 50],
      [() => t.http.post('/__mock/teams').send({ api_keys: many(101, (i) => `key-${i}`) }), 'api_keys', 100],
      [() => t.http.post('/__mock/teams').send({ api_secrets: many(3, (i) => ({ secret_id: `s${i}`, secret_key: 'k' })) }), 'api_secrets', 2],
      [() => t.http.post('/__mock/teams').send({ fields: many(1001, (i) => ({ title: `f${i}` })) }), 'fields', 1000],
      [() => t.http.post('/__mock/teams').send({ contacts: [{ phone: phone(0), custom: Object.fromEntries(many(1001, (i) => [`k${i}`, 'v'])) }] }), 'contacts[0].custom', 1000],
      [() => t.http.post('/__mock/teams').send({ state: Object.fromEntries(many(101, (i) => [`t${i}`, []])) }), 'state', 100],
    ];
    for (const [request, field, max] of cases) await expectTooMany(t, request, field, max);
    // A bulk item is validated alone: its limit fails that item only.
    const bulk = await ok(api.post('/v2/contacts', { contacts: [{ contact_channels: many(51, (i) => ({ channel_type: 'email', channel_id: email(i) })) }] }));
    expect(bulk.failed_contacts[0].field).toBe('[0].contact_channels');
    expect(bulk.failed_contacts[0].error).toBe('[0].contact_channels: must hold at most 50 items (got 51); send several requests if you need more');
  }, 60_000);

  it('limits template text like message text (10 000 characters), changing nothing', async () => {
    const { t, api } = await start();
    const res = await expectRejected(t, () => api.post('/v1/template', { title: 'Big', content: { text: 'x'.repeat(MAX_TEXT + 1) } }), 400, 'bad_data', 'content.text');
    expect(res.body).toMatchObject({ error_code: 'too_large', message: 'content.text: must be at most 10000 characters' });
    const { id } = await ok(api.post('/v1/template', { title: 'Max', content: { text: 'x'.repeat(MAX_TEXT) } }));
    await expectRejected(t, () => api.put(`/v1/template/${id}`, { title: 'Max', content: { text: 'y'.repeat(1_000_000) } }), 400, 'bad_data', 'content.text');
    expect(t.sql<{ n: number }>('SELECT length(text) AS n FROM templates')[0]!.n).toBe(MAX_TEXT);
  });

  it('counts items before looking at them: 100 000 invalid phones answer the count, not 100 000 phone errors', async () => {
    const { t } = await start();
    const api = apiFor(t);
    const targets = many(100_000, () => 'not a phone');
    const res = await expectRejected(t, () => api.post('/v1/message/send', { inbox_id: 10, creator_id: 1, text: 'hi', targets }), 400, 'bad_data', 'targets');
    expect((res.body as { errors?: unknown }).errors).toEqual([{ field: 'targets', message: 'targets: must hold at most 50 items (got 100000); send several requests if you need more', error_code: 'too_many_items' }]);
  });
});
