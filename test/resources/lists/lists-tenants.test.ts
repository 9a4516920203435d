import { describe, expect, it } from 'vitest';
import { AUTH2, contact, createList, expectRejected, FREE1, getList, members, startTwo } from './support.js';

// Tenant isolation: team 1 never sees or touches team 2's lists, and cannot put team 2's contacts on its own.

async function twoTeams() {
  const { t, auth } = await startTwo();
  const theirContact = await contact(t, AUTH2, { phone: '14155552001', first: 'Zed' });
  const theirList = await createList(t, AUTH2, { title: 'Team 2 list', local_id: 'k', contacts: [theirContact] });
  return { t, auth, theirContact, theirList: theirList.id };
}

describe('tenant isolation of lists', () => {
  it("team 2's list belongs to team 2, with team 2's first admin as creator", async () => {
    const { t, theirContact, theirList } = await twoTeams();
    expect(await getList(t, AUTH2, theirList)).toMatchObject({ team_id: 2, creator_id: 21, contacts: [theirContact] });
  });

  it("answers 404 to every read and write of another team's list, changing nothing", async () => {
    const { t, auth, theirList: id } = await twoTeams();
    await expectRejected(t, () => t.http.get(`/v1/list/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put(`/v2/lists/${id}`).set('Authorization', auth).send({ title: 'Hijack' }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put(`/v1/list/${id}`).set('Authorization', auth).send({ remove_contacts: [1] }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete(`/v2/lists/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete(`/v1/list/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
    expect((await t.http.post('/v1/lists').set('Authorization', auth).send({})).body).toEqual([]);
    expect((await t.http.post('/v1/lists').set('Authorization', AUTH2).send({})).body).toHaveLength(1);
  });

  it("refuses another team's contact ids on create and update", async () => {
    const { t, auth, theirContact } = await twoTeams();
    await expectRejected(t, () => t.http.post('/v2/lists').set('Authorization', auth).send({ title: 'T', local_id: 'k', contacts: [theirContact] }), 400, 'bad_data', 'contacts[0]');
    const mine = await createList(t, auth, { title: 'Mine', local_id: 'k', phones: [FREE1] });
    await expectRejected(t, () => t.http.put(`/v2/lists/${mine.id}`).set('Authorization', auth).send({ add_contacts: [theirContact] }), 400, 'bad_data', 'add_contacts[0]');
    await expectRejected(t, () => t.http.put(`/v2/lists/${mine.id}`).set('Authorization', auth).send({ contacts: [theirContact] }), 400, 'bad_data', 'contacts[0]');
  });

  it("a number that only another team's contact has gets a contact of this team", async () => {
    const { t, auth } = await twoTeams();
    const theirs = t.sql('SELECT id, team_id FROM contacts WHERE phone = ?', '14155552001');
    const mine = await createList(t, auth, { title: 'Mine', local_id: 'k', phones: ['14155552001'] });
    const owners = t.sql<{ id: number; team_id: number }>('SELECT id, team_id FROM contacts WHERE phone = ? ORDER BY id', '14155552001');
    expect(owners).toEqual([...theirs, { id: expect.any(Number), team_id: 1 }]);
    expect(members(t, mine.id)).toEqual([{ contact: owners.at(-1)!.id }]);
    expect((await getList(t, auth, mine.id)).targets).toEqual({ '14155552001': { f: '', l: '' } });
  });
});
