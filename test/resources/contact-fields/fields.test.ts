import { describe, expect, it } from 'vitest';
import { T0 } from '../../support/app.js';
import { createContact, expectRejected, getContact, rawPost, snapshot, start } from '../contacts/support.js';

// Custom contact field definitions: POST /v1/contact-fields (list, gap C5) and
// POST /v1/contacts/fields (create, rule 37, gap C6).

describe('POST /v1/contact-fields', () => {
  it('lists nothing for a team without fields, with or without a body', async () => {
    const { t, auth } = await start();
    for (const res of [
      await t.http.post('/v1/contact-fields').set('Authorization', auth),
      await t.http.post('/v1/contact-fields').set('Authorization', auth).send({}),
      await t.http.post('/v1/contact-fields').set('Authorization', auth).set('Content-Type', 'application/json').send(''),
    ]) {
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual([]);
    }
    const raw = await rawPost(t, '/v1/contact-fields', auth);
    expect(raw.status, raw.text).toBe(200);
    expect(raw.text).toBe('[]');
  });

  it('lists every field of the team as {id, title, name}, oldest first', async () => {
    const { t, auth } = await start();
    const created = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }, { title: 'Account' }]);
    const more = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Renewal' }]);
    const [plan, account] = created.body as Array<{ id: number }>;
    const renewal = more.body[0].id as number;
    const res = await t.http.post('/v1/contact-fields').set('Authorization', auth).send({ anything: 'ignored' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: plan!.id, title: 'Plan', name: 'Plan' },
      { id: account!.id, title: 'Account', name: 'Account' },
      { id: renewal, title: 'Renewal', name: 'Renewal' },
    ]);
  });
});

describe('POST /v1/contacts/fields', () => {
  it('creates each title and answers [{id, title, duplicate: false}] in request order', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }, { title: 'Account' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual([
      { id: expect.any(Number), title: 'Plan', duplicate: false },
      { id: expect.any(Number), title: 'Account', duplicate: false },
    ]);
    expect(res.body[0].id).not.toBe(res.body[1].id);
    // One request is written at one true time: both fields share it (ids keep the request order).
    expect(t.sql('SELECT id, team_id, title, created FROM contact_fields ORDER BY id')).toEqual([
      { id: res.body[0].id, team_id: 1, title: 'Plan', created: T0 },
      { id: res.body[1].id, team_id: 1, title: 'Account', created: T0 },
    ]);
    expect(res.body[1].id).toBeGreaterThan(res.body[0].id);
  });

  it('returns the existing id with duplicate: true for a known title (gap C6), creating nothing', async () => {
    const { t, auth } = await start();
    const first = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }]);
    const plan = first.body[0].id as number;
    const rows = t.sql('SELECT * FROM contact_fields');
    const again = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual([{ id: plan, title: 'Plan', duplicate: true }]);
    expect(t.sql('SELECT * FROM contact_fields')).toEqual(rows);

    const mixed = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Tier' }, { title: 'Plan' }]);
    expect(mixed.body).toEqual([
      { id: expect.any(Number), title: 'Tier', duplicate: false },
      { id: plan, title: 'Plan', duplicate: true },
    ]);
    expect(t.sql('SELECT COUNT(*) AS n FROM contact_fields')).toEqual([{ n: 2 }]);
  });

  it('creates a title repeated within one request once, the repeat flagged duplicate', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }, { title: 'Plan' }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: expect.any(Number), title: 'Plan', duplicate: false },
      { id: res.body[0].id, title: 'Plan', duplicate: true },
    ]);
    expect(t.sql('SELECT title FROM contact_fields')).toEqual([{ title: 'Plan' }]);
  });

  it('trims titles, so " Plan " is the field "Plan"', async () => {
    const { t, auth } = await start();
    const first = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: '  Plan ' }]);
    expect(first.body).toEqual([{ id: expect.any(Number), title: 'Plan', duplicate: false }]);
    const again = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }]);
    expect(again.body).toEqual([{ id: first.body[0].id, title: 'Plan', duplicate: true }]);
  });

  it('gives ids that work as custom keys on contacts', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Plan' }, { title: 'Account' }]);
    const [plan, account] = (res.body as Array<{ id: number }>).map((f) => String(f.id));
    const c = await createContact(t, auth, { phone: '14155551234', custom: { [plan!]: 'Premium', [account!]: 'Account-9823' } });
    expect((await getContact(t, auth, c.id)).custom).toEqual({ [plan!]: 'Premium', [account!]: 'Account-9823' });
  });

  describe('rejects a bad body with 400 naming the field, creating nothing (rule 37)', () => {
    const cases: Array<[string, unknown, string | null]> = [
      ['an object instead of an array', { title: 'Plan' }, null],
      ['an empty array', [], null],
      ['an item without title', [{ name: 'Plan' }], '[0].title'],
      ['title null', [{ title: null }], '[0].title'],
      ['title empty', [{ title: '' }], '[0].title'],
      ['title only spaces', [{ title: '   ' }], '[0].title'],
      ['title a number', [{ title: 12 }], '[0].title'],
      ['title longer than 255', [{ title: 'x'.repeat(256) }], '[0].title'],
      ['a bad item after a good one', [{ title: 'Good' }, { title: '' }], '[1].title'],
      ['an item that is not an object', [{ title: 'Good' }, 'Plan'], '[1]'],
      ['more than 100 items', Array.from({ length: 101 }, (_, i) => ({ title: `f${i}` })), null],
    ];
    it.each(cases)('%s', async (_name, body, field) => {
      const { t, auth } = await start();
      await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: 'Existing' }]).expect(200);
      await expectRejected(t, () => t.http.post('/v1/contacts/fields').set('Authorization', auth).send(body as object), 400, 'bad_data', field);
      expect(t.sql('SELECT title FROM contact_fields')).toEqual([{ title: 'Existing' }]);
    });

    it('no body at all', async () => {
      const { t, auth } = await start();
      const before = snapshot(t);
      await expectRejected(t, () => t.http.post('/v1/contacts/fields').set('Authorization', auth), 400, 'bad_data', null);
      expect(snapshot(t)).toEqual(before);
    });
  });

  it('accepts exactly 100 items', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send(Array.from({ length: 100 }, (_, i) => ({ title: `f${i}` })));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(100);
    expect(t.sql('SELECT COUNT(*) AS n FROM contact_fields')).toEqual([{ n: 100 }]);
  });
});
