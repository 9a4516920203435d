import { describe, expect, it } from 'vitest';
import { expectApiError } from '../../support/app.js';
import {
  AUTH2, contact, createList, emailOnlyContact, entries, expectRejected, FREE1, FREE2, FREE3, getList, at, insertLightweightEntry, LOCAL, memberPhones, members,
  snapshot, start, startTwo, updateList, UUID,
} from './support.js';

// v2 lists (lists.md): create, update (gap L2 order), delete; every entry is a contact (a number or
// address no contact has gets a new one, issue #8.4).

const ANN = { phone: '14155551001', first: 'Ann', last: 'Able' };
const BOB = { phone: '14155551002', first: 'Bob', last: 'Baker', email: 'bob@example.com' };
const CARL = { phone: '14155551003', first: 'Carl' };

describe('POST /v2/lists', () => {
  it('creates a phone list: contacts, phones linked to their contact, a new contact for a new number, duplicates once', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, ANN);
    const bob = await contact(t, auth, BOB);
    const res = await t.http
      .post('/v2/lists')
      .set('Authorization', auth)
      .send({ title: 'Spring promo', local_id: LOCAL, contacts: [ann, ann], phones: [BOB.phone, FREE1, ANN.phone, FREE1] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: 1, rev: 1, uuid: LOCAL });

    // A number no contact has gets a new contact (3), phone only, created by the API's member.
    expect(members(t, 1)).toEqual([{ contact: ann }, { contact: bob }, { contact: 3 }]);
    expect(t.sql('SELECT id, phone, email, first, last, creator_id FROM contacts ORDER BY id')).toEqual([
      { id: ann, phone: ANN.phone, email: '', first: 'Ann', last: 'Able', creator_id: 1 },
      { id: bob, phone: BOB.phone, email: BOB.email, first: 'Bob', last: 'Baker', creator_id: 1 },
      { id: 3, phone: FREE1, email: '', first: '', last: '', creator_id: 1 },
    ]);
    expect(t.sql("SELECT contact_id, channel_type, channel_id FROM contact_channels WHERE contact_id = 3")).toEqual([{ contact_id: 3, channel_type: 'phone', channel_id: FREE1 }]);
    expect(t.sql('SELECT team_id, uuid, name, local_id, kind, creator_id, shared, archived, rev FROM lists')).toEqual([
      { team_id: 1, uuid: LOCAL, name: 'Spring promo', local_id: LOCAL, kind: 'phones', creator_id: 1, shared: 1, archived: 0, rev: 1 },
    ]);

    expect(await getList(t, auth, 1)).toEqual({
      id: 1,
      name: 'Spring promo',
      local_id: LOCAL,
      targets: {
        [ANN.phone]: { f: 'Ann', l: 'Able' },
        [BOB.phone]: { f: 'Bob', l: 'Baker' },
        [FREE1]: { f: '', l: '' },
      },
      team_id: 1,
      creator_id: 1,
      shared: true,
      created: at(),
      updated: at(),
      rev: 1,
      archived: false,
      contacts: [ann, bob, 3],
      emails: [],
    });
  });

  it('generates the uuid when local_id is not a UUID (gap L4)', async () => {
    const { t, auth } = await start();
    const res = await createList(t, auth, { title: 'Keyed', local_id: 'promo-2026', phones: [FREE1] });
    expect(res.uuid).toMatch(UUID);
    expect(res.uuid).not.toBe('promo-2026');
    expect((await getList(t, auth, res.id)).local_id).toBe('promo-2026');
    expect(t.sql('SELECT uuid FROM lists')).toEqual([{ uuid: res.uuid }]);
  });

  it('type "contacts" takes emails: linked to the contact with that address (any case), else a new contact', async () => {
    const { t, auth } = await start();
    const eve = await emailOnlyContact(t, auth, 'eve@example.com', 'Eve');
    const bob = await contact(t, auth, BOB);
    const res = await createList(t, auth, {
      title: 'Omni',
      local_id: 'omni-1',
      type: 'contacts',
      phones: [FREE1],
      emails: ['EVE@example.com', 'new@example.com', 'New@Example.COM', 'Bob@Example.com'],
    });
    // New: contact 3 for FREE1, contact 4 for new@example.com (its second spelling collapses).
    expect(members(t, res.id)).toEqual([{ contact: 3 }, { contact: eve }, { contact: 4 }, { contact: bob }]);
    expect(t.sql('SELECT kind FROM lists')).toEqual([{ kind: 'contacts' }]);
    expect(t.sql('SELECT id, phone, email FROM contacts WHERE id > 2 ORDER BY id')).toEqual([
      { id: 3, phone: FREE1, email: '' },
      { id: 4, phone: null, email: 'new@example.com' },
    ]);
    const list = await getList(t, auth, res.id);
    expect(list.targets).toEqual({ [FREE1]: { f: '', l: '' }, [BOB.phone]: { f: 'Bob', l: 'Baker' } });
    expect(list.contacts).toEqual([3, eve, 4, bob]);
    expect(list.emails).toEqual([]);
  });

  it('treats null fields as absent', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v2/lists').set('Authorization', auth).send({ title: 'N', local_id: 'n', type: null, contacts: null, phones: [FREE1] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(members(t, res.body.id)).toEqual([{ contact: 1 }]);
  });

  const bad: Array<[string, Record<string, unknown>, string | null]> = [
    ['no title', { local_id: 'k', phones: [FREE1] }, 'title'],
    ['a blank title', { title: ' ', local_id: 'k', phones: [FREE1] }, 'title'],
    ['no local_id', { title: 'T', phones: [FREE1] }, 'local_id'],
    ['an empty local_id', { title: 'T', local_id: '', phones: [FREE1] }, 'local_id'],
    ['no recipient source (rule 26)', { title: 'T', local_id: 'k' }, null],
    ['only empty recipient arrays', { title: 'T', local_id: 'k', contacts: [], phones: [], emails: [] }, null],
    ['an unknown type', { title: 'T', local_id: 'k', type: 'phones', phones: [FREE1] }, 'type'],
    ['an unknown contact id', { title: 'T', local_id: 'k', contacts: [1, 999] }, 'contacts[1]'],
    ['contact id 0', { title: 'T', local_id: 'k', contacts: [0] }, 'contacts[0]'],
    ['a contact id as a string', { title: 'T', local_id: 'k', contacts: ['1'] }, 'contacts[0]'],
    ["a phone with '+'", { title: 'T', local_id: 'k', phones: [FREE1, '+14155559902'] }, 'phones[1]'],
    ['a phone that is not a number', { title: 'T', local_id: 'k', phones: ['12'] }, 'phones[0]'],
    ['phones that is not an array', { title: 'T', local_id: 'k', phones: FREE1 }, 'phones'],
    ['emails on a standard (phone) list', { title: 'T', local_id: 'k', emails: ['a@example.com'] }, 'emails'],
    ['an invalid email', { title: 'T', local_id: 'k', type: 'contacts', emails: ['a@example.com', 'nope'] }, 'emails[1]'],
    ['an email-only contact on a standard list', { title: 'T', local_id: 'k', contacts: [1, 2] }, 'contacts[1]'],
  ];
  for (const [name, body, field] of bad) {
    it(`refuses ${name}${field ? ` (400 naming ${field})` : ''}, storing nothing`, async () => {
      const { t, auth } = await start();
      await contact(t, auth, ANN); // id 1
      await emailOnlyContact(t, auth, 'eve@example.com'); // id 2
      await expectRejected(t, () => t.http.post('/v2/lists').set('Authorization', auth).send(body), 400, 'bad_data', field);
      expect(t.sql('SELECT * FROM lists')).toEqual([]);
    });
  }

  it('refuses a body that is not an object', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => t.http.post('/v2/lists').set('Authorization', auth).send([FREE1]), 400, 'bad_data', null);
    await expectRejected(t, () => t.http.post('/v2/lists').set('Authorization', auth), 400, 'bad_data', null);
  });
});

describe('PUT /v2/lists/{id}', () => {
  it('renames and answers {id, rev} with rev + 1 on every update', async () => {
    const { t, auth } = await start();
    await createList(t, auth, { title: 'Old', local_id: 'k', phones: [FREE1] });
    t.clock.advance(1);
    expect(await updateList(t, auth, 1, { title: 'New' })).toEqual({ id: 1, rev: 2 });
    expect(await getList(t, auth, 1)).toMatchObject({ name: 'New', rev: 2, created: at(), updated: at(1) });
    // An update in the same millisecond keeps that time (true times) but still bumps rev.
    expect(await updateList(t, auth, 1, {})).toEqual({ id: 1, rev: 3 });
    expect(await getList(t, auth, 1)).toMatchObject({ name: 'New', rev: 3, updated: at(1), targets: { [FREE1]: { f: '', l: '' } } });
    t.clock.advance(1);
    expect(await updateList(t, auth, 1, {})).toEqual({ id: 1, rev: 4 });
    expect(await getList(t, auth, 1)).toMatchObject({ rev: 4, updated: at(2) });
  });

  it('applies contacts (replace) → add → remove, in that order (gap L2)', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, ANN);
    const bob = await contact(t, auth, BOB);
    const carl = await contact(t, auth, CARL);
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', contacts: [ann, bob], phones: [FREE1] });

    // Replace drops every entry (lightweight targets too); the add comes after; the remove comes last.
    await updateList(t, auth, id, { remove_contacts: [bob], add_contacts: [carl], contacts: [bob, ann] });
    expect(members(t, id)).toEqual([{ contact: ann }, { contact: carl }]);

    // Added and removed in one request: the remove wins, whatever the key order in the body.
    await updateList(t, auth, id, { remove_phones: [FREE2], add_phones: [FREE2], remove_contacts: [bob], add_contacts: [bob] });
    expect(members(t, id)).toEqual([{ contact: ann }, { contact: carl }]);

    // Replacing with a member keeps it (as a new entry); removing it afterwards empties the list.
    await updateList(t, auth, id, { contacts: [ann], remove_contacts: [ann] });
    expect(members(t, id)).toEqual([]);
    expect(await getList(t, auth, id)).toMatchObject({ targets: {}, contacts: [], emails: [], rev: 4 });
  });

  it('adds and removes phones and emails; phones/emails are the same as add_phones/add_emails', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, ANN);
    const eve = await emailOnlyContact(t, auth, 'eve@example.com');
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', type: 'contacts', phones: [FREE1] });

    // FREE1 became contact 3 at create; FREE2, FREE3 and x@example.com become 4, 5 and 6.
    await updateList(t, auth, id, { add_phones: [FREE2, ANN.phone], phones: [FREE3, FREE2], add_emails: ['x@example.com'], emails: ['EVE@example.com'] });
    expect(members(t, id)).toEqual([{ contact: 3 }, { contact: 4 }, { contact: ann }, { contact: 5 }, { contact: 6 }, { contact: eve }]);
    expect(t.sql('SELECT id, phone, email FROM contacts WHERE id > 3 ORDER BY id')).toEqual([
      { id: 4, phone: FREE2, email: '' },
      { id: 5, phone: FREE3, email: '' },
      { id: 6, phone: null, email: 'x@example.com' },
    ]);

    // A phone or address that belongs to a contact removes that contact's entry; the contacts stay.
    await updateList(t, auth, id, { remove_phones: [ANN.phone, FREE1], remove_emails: ['X@Example.com', 'eve@EXAMPLE.com'] });
    expect(members(t, id)).toEqual([{ contact: 4 }, { contact: 5 }]);
    expect(t.sql('SELECT count(*) AS n FROM contacts')).toEqual([{ n: 6 }]);
  });

  it('removing what is not on the list changes nothing but the revision', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, ANN);
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', contacts: [ann], phones: [FREE1] });
    const before = entries(t, id);
    expect(await updateList(t, auth, id, { remove_contacts: [999], remove_phones: [FREE3], remove_emails: ['nobody@example.com'] })).toEqual({ id, rev: 2 });
    expect(entries(t, id)).toEqual(before);
  });

  it('turns a lightweight number (a list written before issue #8.4) into the contact that has it since, keeping its place', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, ANN);
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', contacts: [ann] });
    insertLightweightEntry(t, id, { phone: FREE1 });
    insertLightweightEntry(t, id, { phone: FREE2, first: 'Fay' });
    const [, first] = entries(t, id);
    const dan = await contact(t, auth, { phone: FREE1, first: 'Dan' });
    await updateList(t, auth, id, { add_contacts: [dan] });
    expect(entries(t, id)).toEqual([expect.objectContaining({ contact_id: ann }), { id: first!.id, contact_id: dan, phone: null, email: null }, expect.objectContaining({ phone: FREE2 })]);
    expect((await getList(t, auth, id)).targets).toEqual({ [ANN.phone]: { f: 'Ann', l: 'Able' }, [FREE1]: { f: 'Dan', l: '' }, [FREE2]: { f: 'Fay', l: '' } });
    // Adding the number again now means the contact: still one entry.
    await updateList(t, auth, id, { add_phones: [FREE1] });
    expect(members(t, id)).toEqual([{ contact: ann }, { contact: dan }, { phone: FREE2 }]);
    // Adding the lightweight number again gives it its contact, with the entry's names, in its place.
    await updateList(t, auth, id, { add_phones: [FREE2] });
    const fay = t.sql<{ id: number; first: string }>('SELECT id, first FROM contacts WHERE phone = ?', FREE2);
    expect(fay).toEqual([{ id: expect.any(Number), first: 'Fay' }]);
    expect(members(t, id)).toEqual([{ contact: ann }, { contact: dan }, { contact: fay[0]!.id }]);
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown contact to add', { add_contacts: [999] }, 'add_contacts[0]'],
    ['an unknown contact in the replacement', { contacts: [2, 999] }, 'contacts[1]'],
    ['a bad contact id to remove', { remove_contacts: [-1] }, 'remove_contacts[0]'],
    ["a phone to add with '+'", { add_phones: ['+14155559902'] }, 'add_phones[0]'],
    ['a bad phone under phones', { phones: [FREE2, 'abc'] }, 'phones[1]'],
    ['a bad phone to remove', { remove_phones: ['x'] }, 'remove_phones[0]'],
    ['emails to add on a phone list', { add_emails: ['a@example.com'] }, 'add_emails'],
    ['emails (alias) on a phone list', { emails: ['a@example.com'] }, 'emails'],
    ['a bad email to remove', { remove_emails: ['nope'] }, 'remove_emails[0]'],
    ['a blank title', { title: '' }, 'title'],
    ['a valid change followed by an unknown contact', { contacts: [2], add_phones: [FREE2], add_contacts: [999] }, 'add_contacts[0]'],
  ];
  for (const [name, body, field] of bad) {
    it(`refuses ${name} (400 naming ${field}), changing nothing`, async () => {
      const { t, auth } = await start();
      const ann = await contact(t, auth, ANN);
      await contact(t, auth, BOB);
      await createList(t, auth, { title: 'L', local_id: 'k', contacts: [ann], phones: [FREE1] });
      await expectRejected(t, () => t.http.put('/v2/lists/1').set('Authorization', auth).send(body), 400, 'bad_data', field);
    });
  }

  it('answers 404 for an unknown list and 400 for an id that is not an integer', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => t.http.put('/v2/lists/9').set('Authorization', auth).send({ title: 'X' }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put('/v2/lists/x').set('Authorization', auth).send({ title: 'X' }), 400, 'bad_data', 'id');
  });
});

describe("the team's list_size (gap L3)", () => {
  it('refuses a create that holds more recipients than list_size, naming the first one over', async () => {
    const { t } = await startTwo({ list_size: 2 });
    await expectRejected(t, () => t.http.post('/v2/lists').set('Authorization', AUTH2).send({ title: 'Big', local_id: 'k', phones: [FREE1, FREE2, FREE3] }), 400, 'bad_data', 'phones[2]');
    // Duplicates collapse before counting.
    const ok = await createList(t, AUTH2, { title: 'Fits', local_id: 'k', phones: [FREE1, FREE1, FREE2, FREE2] });
    expect(memberPhones(t, ok.id)).toEqual([FREE1, FREE2]);
  });

  it('counts the final membership of an update: add one and remove one at the cap is fine', async () => {
    const { t } = await startTwo({ list_size: 2 });
    const { id } = await createList(t, AUTH2, { title: 'L', local_id: 'k', phones: [FREE1, FREE2] });
    await expectRejected(t, () => t.http.put(`/v2/lists/${id}`).set('Authorization', AUTH2).send({ add_phones: [FREE3] }), 400, 'bad_data', 'add_phones[0]');
    expect(await updateList(t, AUTH2, id, { add_phones: [FREE3], remove_phones: [FREE1] })).toEqual({ id, rev: 2 });
    expect(memberPhones(t, id)).toEqual([FREE2, FREE3]);

    const a = await contact(t, AUTH2, { phone: '14155552001' });
    const b = await contact(t, AUTH2, { phone: '14155552002' });
    const c = await contact(t, AUTH2, { phone: '14155552003' });
    await expectRejected(t, () => t.http.put(`/v2/lists/${id}`).set('Authorization', AUTH2).send({ contacts: [a, b, c] }), 400, 'bad_data', 'contacts[2]');
    await updateList(t, AUTH2, id, { contacts: [a, b] });
    expect(members(t, id)).toEqual([{ contact: a }, { contact: b }]);
  });
});

describe('DELETE /v2/lists/{id}', () => {
  it('answers {deleted: true, id}; the entries go, the contacts stay', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, ANN);
    const bob = await contact(t, auth, BOB);
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', contacts: [ann, bob], phones: [FREE1] });
    const contactsBefore = snapshot(t).contacts;
    const res = await t.http.delete(`/v2/lists/${id}`).set('Authorization', auth).send({ contact_ids: [bob, 999] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ deleted: true, id });
    expect(t.sql('SELECT * FROM lists')).toEqual([]);
    expect(t.sql('SELECT * FROM list_members')).toEqual([]);
    expect(snapshot(t).contacts).toEqual(contactsBefore);
    expectApiError(await t.http.get(`/v1/list/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
    expectApiError(await t.http.delete(`/v2/lists/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
  });

  it('takes no body at all, and refuses a malformed one', async () => {
    const { t, auth } = await start();
    await createList(t, auth, { title: 'A', local_id: 'a', phones: [FREE1] });
    await createList(t, auth, { title: 'B', local_id: 'b', phones: [FREE1] });
    await expectRejected(t, () => t.http.delete('/v2/lists/1').set('Authorization', auth).send({ contact_ids: ['x'] }), 400, 'bad_data', 'contact_ids[0]');
    expect((await t.http.delete('/v2/lists/1').set('Authorization', auth)).body).toEqual({ deleted: true, id: 1 });
    expect((await t.http.delete('/v2/lists/2').set('Authorization', auth).send({})).body).toEqual({ deleted: true, id: 2 });
  });

  it('a deleted contact leaves every list it was on', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, ANN);
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', contacts: [ann], phones: [FREE1] });
    const free1 = t.sql<{ id: number }>('SELECT id FROM contacts WHERE phone = ?', FREE1)[0]!.id;
    expect((await t.http.delete(`/v1/contact/${ann}`).set('Authorization', auth)).status).toBe(200);
    expect(members(t, id)).toEqual([{ contact: free1 }]);
    expect((await getList(t, auth, id)).contacts).toEqual([free1]);
  });
});
