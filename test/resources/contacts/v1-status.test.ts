import { describe, expect, it } from 'vitest';
import { contactObject, createContact, expectRejected, getContact, at, start } from './support.js';

// POST /v1/contact/get, /v1/contact/status and /v1/contact/set_status (rules 19-20, gap C17).

const A = '14155551234';
const B = '14155559876';

async function twoContacts() {
  const { t, auth } = await start();
  const a = await createContact(t, auth, { phone: A, first: 'Ann', email: 'ann@example.com' });
  const b = await createContact(t, auth, { phone: B, first: 'Bob' });
  return { t, auth, a, b };
}

describe('POST /v1/contact/get', () => {
  it('finds a contact by phone, by integer id and by id as a string, answering the whole contact', async () => {
    const { t, auth, a } = await twoContacts();
    const expected = contactObject({ id: a.id, uuid: a.uuid, phone: A, first: 'Ann', display_name: 'Ann', email: 'ann@example.com', created: at(), updated: at() });
    for (const body of [{ phone: A }, { id: a.id }, { id: String(a.id) }]) {
      const res = await t.http.post('/v1/contact/get').set('Authorization', auth).send(body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.body).toEqual(expected);
    }
    expect(await getContact(t, auth, a.id)).toEqual(expected);
  });

  it('lets phone win when both phone and id are given', async () => {
    const { t, auth, a, b } = await twoContacts();
    const res = await t.http.post('/v1/contact/get').set('Authorization', auth).send({ phone: A, id: b.id });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(a.id);
    // An unknown phone is not rescued by a valid id.
    await expectRejected(t, () => t.http.post('/v1/contact/get').set('Authorization', auth).send({ phone: '14155550000', id: b.id }), 404, 'not_found', 'phone');
  });

  it('ignores the other ContactRequest fields of the body and changes nothing', async () => {
    const { t, auth, a } = await twoContacts();
    const before = await getContact(t, auth, a.id);
    const res = await t.http.post('/v1/contact/get').set('Authorization', auth).send({ phone: A, first: 'Ignored', email: 'x@example.com' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
    expect(await getContact(t, auth, a.id)).toEqual(before);
  });

  it('answers 404 for an unknown phone or id', async () => {
    const { t, auth, b } = await twoContacts();
    await expectRejected(t, () => t.http.post('/v1/contact/get').set('Authorization', auth).send({ phone: '14155550000' }), 404, 'not_found', 'phone');
    await expectRejected(t, () => t.http.post('/v1/contact/get').set('Authorization', auth).send({ id: b.id + 1 }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.post('/v1/contact/get').set('Authorization', auth).send({ id: String(b.id + 1) }), 404, 'not_found', 'id');
  });

  it('answers 400 when neither phone nor id is given, or either is malformed', async () => {
    const { t, auth } = await twoContacts();
    const get = (body?: object) => () => t.http.post('/v1/contact/get').set('Authorization', auth).send(body);
    await expectRejected(t, get({}), 400, 'bad_data', undefined);
    await expectRejected(t, get(), 400, 'bad_data', undefined);
    await expectRejected(t, get({ first: 'Ann' }), 400, 'bad_data', undefined);
    await expectRejected(t, get({ id: 'abc' }), 400, 'bad_data', 'id');
    await expectRejected(t, get({ id: 0 }), 400, 'bad_data', 'id');
    await expectRejected(t, get({ id: -3 }), 400, 'bad_data', 'id');
    await expectRejected(t, get({ id: 1.5 }), 400, 'bad_data', 'id');
    await expectRejected(t, get({ phone: '+14155551234' }), 400, 'bad_data', 'phone');
    await expectRejected(t, get({ phone: 14155551234 }), 400, 'bad_data', 'phone');
  });
});

it('POST /v1/contact/get answers 400 for the id "0" as for 0 (not a contact id)', async () => {
  const { t, auth } = await twoContacts();
  await expectRejected(t, () => t.http.post('/v1/contact/get').set('Authorization', auth).send({ id: '0' }), 400, 'bad_data', 'id');
  await expectRejected(t, () => t.http.post('/v1/contact/status').set('Authorization', auth).send({ id: '0' }), 400, 'bad_data', 'id');
});

describe('POST /v1/contact/status', () => {
  it('answers {id, phone, unsubscribed, blocked} by id or phone; phone wins when both are given', async () => {
    const { t, auth, a, b } = await twoContacts();
    await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ id: b.id, status: 'blocked' }).expect(200);
    await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ id: a.id, status: 'unsubscribed' }).expect(200);
    const status = (body: object) => t.http.post('/v1/contact/status').set('Authorization', auth).send(body);
    const aStatus = { id: a.id, phone: A, unsubscribed: true, blocked: false };
    const bStatus = { id: b.id, phone: B, unsubscribed: false, blocked: true };
    const byId = await status({ id: a.id });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(aStatus);
    expect((await status({ id: String(b.id) })).body).toEqual(bStatus);
    expect((await status({ phone: B })).body).toEqual(bStatus);
    expect((await status({ phone: A, id: b.id })).body).toEqual(aStatus);
  });

  it('answers 404 for an unknown contact and 400 when neither id nor phone is given', async () => {
    const { t, auth, b } = await twoContacts();
    const status = (body?: object) => () => t.http.post('/v1/contact/status').set('Authorization', auth).send(body);
    await expectRejected(t, status({ id: b.id + 1 }), 404, 'not_found', 'id');
    await expectRejected(t, status({ phone: '14155550000' }), 404, 'not_found', 'phone');
    await expectRejected(t, status({ phone: '14155550000', id: b.id }), 404, 'not_found', 'phone');
    await expectRejected(t, status({}), 400, 'bad_data', undefined);
    await expectRejected(t, status(), 400, 'bad_data', undefined);
    await expectRejected(t, status({ id: 'x' }), 400, 'bad_data', 'id');
    await expectRejected(t, status({ phone: '555' }), 400, 'bad_data', 'phone');
  });
});

describe('POST /v1/contact/set_status', () => {
  type Flags = { unsubscribed: boolean; blocked: boolean };
  const STATUSES = ['active', 'blocked', 'unblocked', 'subscribed', 'unsubscribed'] as const;
  const effect = (s: (typeof STATUSES)[number], from: Flags): Flags => {
    switch (s) {
      case 'active':
        return { unsubscribed: false, blocked: false };
      case 'blocked':
        return { ...from, blocked: true };
      case 'unblocked':
        return { ...from, blocked: false };
      case 'subscribed':
        return { ...from, unsubscribed: false };
      case 'unsubscribed':
        return { ...from, unsubscribed: true };
    }
  };
  const starts: Flags[] = [
    { unsubscribed: false, blocked: false },
    { unsubscribed: true, blocked: false },
    { unsubscribed: false, blocked: true },
    { unsubscribed: true, blocked: true },
  ];
  const cases = STATUSES.flatMap((s) => starts.map((from) => [s, from, effect(s, from)] as const));

  it.each(cases)('%s from %o gives %o, as a write (rev + 1), answering "success"', async (status, from, to) => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: A, is_opted_out: from.unsubscribed });
    t.app.mock.db.$client.prepare('UPDATE contacts SET blocked = ? WHERE id = ?').run(from.blocked ? 1 : 0, c.id);
    const before = await getContact(t, auth, c.id);
    expect(before.is_opted_out).toBe(from.unsubscribed);

    t.clock.advance(1);
    const res = await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ id: c.id, status });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.text).toBe('"success"');

    expect((await t.http.post('/v1/contact/status').set('Authorization', auth).send({ id: c.id })).body).toEqual({ id: c.id, phone: A, ...to });
    // is_opted_out mirrors unsubscribed; a repeated status is a successful no-op that is still a write.
    expect(await getContact(t, auth, c.id)).toEqual({ ...before, is_opted_out: to.unsubscribed, rev: 2, op: 'update', updated: at(1) });
    expect(t.sql('SELECT unsubscribed, blocked FROM contacts')).toEqual([{ unsubscribed: Number(to.unsubscribed), blocked: Number(to.blocked) }]);
  });

  it('repeating a status succeeds each time and bumps rev each time (gap C17)', async () => {
    const { t, auth } = await start();
    const c = await createContact(t, auth, { phone: A });
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1);
      const res = await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ id: c.id, status: 'unblocked' });
      expect(res.status).toBe(200);
      expect(res.body).toBe('success');
    }
    const got = await getContact(t, auth, c.id);
    expect({ rev: got.rev, updated: got.updated, is_opted_out: got.is_opted_out }).toEqual({ rev: 4, updated: at(3), is_opted_out: false });
  });

  it('finds the contact by phone, and lets phone win over id', async () => {
    const { t, auth, a, b } = await twoContacts();
    await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ phone: B, status: 'blocked' }).expect(200);
    t.clock.advance(1);
    await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ phone: A, id: b.id, status: 'unsubscribed' }).expect(200);
    expect(t.sql('SELECT id, unsubscribed, blocked, rev FROM contacts ORDER BY id')).toEqual([
      { id: a.id, unsubscribed: 1, blocked: 0, rev: 2 },
      { id: b.id, unsubscribed: 0, blocked: 1, rev: 2 },
    ]);
    // The status string read back through the list is mirrored as is_opted_out (a, written last, first).
    const list = await t.http.post('/v1/contacts').set('Authorization', auth);
    expect(list.body.map((c: { id: number; is_opted_out: boolean }) => [c.id, c.is_opted_out])).toEqual([
      [a.id, true],
      [b.id, false],
    ]);
  });

  it('rejects a missing or unknown status, a missing contact reference, and unknown contacts, changing nothing', async () => {
    const { t, auth, a } = await twoContacts();
    const set = (body?: object) => () => t.http.post('/v1/contact/set_status').set('Authorization', auth).send(body);
    await expectRejected(t, set({ id: a.id }), 400, 'bad_data', 'status');
    await expectRejected(t, set({ id: a.id, status: null }), 400, 'bad_data', 'status');
    await expectRejected(t, set({ id: a.id, status: 'paused' }), 400, 'bad_data', 'status');
    await expectRejected(t, set({ id: a.id, status: 'Blocked' }), 400, 'bad_data', 'status');
    await expectRejected(t, set({ id: a.id, status: 1 }), 400, 'bad_data', 'status');
    await expectRejected(t, set({ status: 'blocked' }), 400, 'bad_data', undefined);
    await expectRejected(t, set(), 400, 'bad_data', undefined);
    await expectRejected(t, set({ id: 'abc', status: 'blocked' }), 400, 'bad_data', 'id');
    await expectRejected(t, set({ phone: '+14155551234', status: 'blocked' }), 400, 'bad_data', 'phone');
    await expectRejected(t, set({ id: a.id + 100, status: 'blocked' }), 404, 'not_found', 'id');
    await expectRejected(t, set({ phone: '14155550000', status: 'blocked' }), 404, 'not_found', 'phone');
    await expectRejected(t, set({ phone: '14155550000', id: a.id, status: 'blocked' }), 404, 'not_found', 'phone');
  });
});
