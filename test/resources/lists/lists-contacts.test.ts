import { describe, expect, it } from 'vitest';
import { apiFor, ok } from '../../support/api.js';
import { contact, createList, expectRejected, FREE1, FREE2, FREE3, getList, members, snapshot, start, startTwo, AUTH2, updateList } from './support.js';

// Issue #8.4: numbers and addresses a list is created or updated with that no contact of the
// account has become new contacts (lists/create: "numbers not yet in the account become new
// contacts"), in the list's own transaction; ones a contact has are reused.

const count = async (t: Parameters<typeof apiFor>[0], auth: string) => ok<string>(apiFor(t, auth).post('/v1/contacts/count', {}));

describe('list entries become contacts', () => {
  it('a list created with two new phones and one new email yields three contacts, findable and counted', async () => {
    const { t, auth } = await start();
    expect(await count(t, auth)).toBe('0');
    const { id } = await createList(t, auth, { title: 'Omni', local_id: 'k', type: 'contacts', phones: [FREE1, FREE2], emails: ['new@example.com'] });
    expect(await count(t, auth)).toBe('3');

    const api = apiFor(t, auth);
    const one = await ok(api.post('/v1/contact/get', { phone: FREE1 }));
    const two = await ok(api.post('/v1/contact/get', { phone: FREE2 }));
    expect(one).toMatchObject({ phone: FREE1 });
    expect(two).toMatchObject({ phone: FREE2 });
    const list = await getList(t, auth, id);
    expect(list.contacts).toHaveLength(3);
    const third = list.contacts.find((c: number) => c !== one.id && c !== two.id);
    expect(await ok(api.post('/v1/contact/get', { id: third }))).toMatchObject({ id: third, email: 'new@example.com' });
    expect(list.contacts).toEqual([one.id, two.id, third]);
    // The list's targets are the new contacts' numbers.
    expect(list.targets).toEqual({ [FREE1]: { f: '', l: '' }, [FREE2]: { f: '', l: '' } });
    // Each has its channel, as POST /v1/contact would make.
    expect(t.sql('SELECT contact_id, channel_type, channel_id FROM contact_channels ORDER BY contact_id')).toEqual([
      { contact_id: one.id, channel_type: 'phone', channel_id: FREE1 },
      { contact_id: two.id, channel_type: 'phone', channel_id: FREE2 },
      { contact_id: third, channel_type: 'email', channel_id: 'new@example.com' },
    ]);
  });

  it('reuses the contact that has a number or address already (no duplicate), on create and on update', async () => {
    const { t, auth } = await start();
    const ann = await contact(t, auth, { phone: FREE1, first: 'Ann', email: 'ann@example.com' });
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', type: 'contacts', phones: [FREE1], emails: ['ANN@example.com'] });
    expect(members(t, id)).toEqual([{ contact: ann }]);
    expect(await count(t, auth)).toBe('1');
    // Update: a new number gets a contact; the known address is Ann again; a second list reuses them all.
    await updateList(t, auth, id, { add_phones: [FREE2], add_emails: ['ann@example.com'] });
    expect(await count(t, auth)).toBe('2');
    const other = await createList(t, auth, { title: 'M', local_id: 'm', phones: [FREE2, FREE1] });
    expect(await count(t, auth)).toBe('2');
    expect(members(t, other.id)).toEqual(members(t, id).reverse());
  });

  it('a number added and removed in one update creates no contact', async () => {
    const { t, auth } = await start();
    const { id } = await createList(t, auth, { title: 'L', local_id: 'k', phones: [FREE1] });
    await updateList(t, auth, id, { add_phones: [FREE2], remove_phones: [FREE2] });
    expect(t.sql('SELECT phone FROM contacts')).toEqual([{ phone: FREE1 }]);
  });

  it('a rejected create or update creates no contacts (list_size, bad item after good ones)', async () => {
    const { t } = await startTwo({ list_size: 2 });
    await expectRejected(t, () => t.http.post('/v2/lists').set('Authorization', AUTH2).send({ title: 'Big', local_id: 'k', phones: [FREE1, FREE2, FREE3] }), 400, 'bad_data', 'phones[2]');
    await expectRejected(t, () => t.http.post('/v2/lists').set('Authorization', AUTH2).send({ title: 'Bad', local_id: 'k', phones: [FREE1], contacts: [999] }), 400, 'bad_data', 'contacts[0]');
    expect(snapshot(t).contacts).toEqual([]);
    const { id } = await createList(t, AUTH2, { title: 'L', local_id: 'k', phones: [FREE1] });
    await expectRejected(t, () => t.http.put(`/v2/lists/${id}`).set('Authorization', AUTH2).send({ add_phones: [FREE2, FREE3] }), 400, 'bad_data', 'add_phones[1]');
    await expectRejected(t, () => t.http.put(`/v2/lists/${id}`).set('Authorization', AUTH2).send({ add_phones: [FREE2], add_contacts: [999] }), 400, 'bad_data', 'add_contacts[0]');
    expect(t.sql('SELECT phone FROM contacts')).toEqual([{ phone: FREE1 }]);
  });

  it('a broadcast to such a list renders each new contact and creates nothing more', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { title: 'L', local_id: 'k', phones: [FREE1, FREE2] });
    const before = t.sql('SELECT * FROM contacts ORDER BY id');
    await ok(apiFor(t, auth).post('/v1/message/send', { inbox_id: 10, creator_id: 1, list_id: list.id, local_id: 'b-1', text: 'Hi {{first_name}}' }));
    expect(t.sql('SELECT * FROM contacts ORDER BY id')).toEqual(before);
    expect(t.sql('SELECT target FROM messages ORDER BY id')).toEqual([{ target: FREE1 }, { target: FREE2 }]);
  });
});
