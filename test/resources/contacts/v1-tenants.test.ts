import { describe, expect, it } from 'vitest';
import { expectApiError, T0 } from '../../support/app.js';
import { contactObject, createContact, createField, createTag, expectRejected, getContact, at, snapshot, start, TEAM2, writeTeam2Seed } from './support.js';

// Tenant isolation of the v1 contact surface: team 1 (JWT) must never see or touch team 2's data
// (seeded from a file, reached with team 2's legacy API key).

const AUTH2 = `Bearer ${TEAM2.apiKey}`;

async function twoTeams() {
  const { t, auth } = await start({ seed: writeTeam2Seed() });
  const list = await t.http.post('/v1/contacts').set('Authorization', AUTH2);
  expect(list.status, JSON.stringify(list.body)).toBe(200);
  expect(list.body).toHaveLength(1);
  const fields = await t.http.post('/v1/contact-fields').set('Authorization', AUTH2);
  const other = {
    contact: list.body[0] as { id: number; uuid: string; phone: string; tags: Array<{ id: number }> },
    fieldId: fields.body[0].id as number,
    tagId: list.body[0].tags[0].id as number,
  };
  return { t, auth, other };
}

describe('tenant isolation of v1 contacts', () => {
  it('seeds team 2 with its own contact, reachable with team 2 credentials', async () => {
    const { t, other } = await twoTeams();
    const res = await t.http.get(`/v1/contact/${other.contact.id}`).set('Authorization', AUTH2);
    expect(res.status).toBe(200);
    // Seeding writes team 2's field, tag and contact at team 2's own true time: T0 on its frozen clock.
    expect(res.body).toEqual(
      contactObject({
        id: other.contact.id,
        uuid: other.contact.uuid,
        phone: TEAM2.phone,
        first: 'Zed',
        last: 'Two',
        display_name: 'Zed Two',
        email: 'zed@two.example.com',
        custom: { [String(other.fieldId)]: 'Gold' },
        team_id: 2,
        creator_id: TEAM2.memberId,
        tags: [{ id: other.tagId, tag: TEAM2.tagLabel, color: '#00FF00', team_id: 2, created: at(), updated: at(), rev: 1 }],
        created: at(),
        updated: at(),
      }),
    );
    expect(new Date(res.body.created).getTime()).toBe(T0);
  });

  it('answers 404 to GET, PUT and DELETE /v1/contact/{id} of another team, changing nothing', async () => {
    const { t, auth, other } = await twoTeams();
    const id = other.contact.id;
    await expectRejected(t, () => t.http.get(`/v1/contact/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put(`/v1/contact/${id}`).set('Authorization', auth).send({ phone: TEAM2.phone, first: 'Hijacked' }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put(`/v1/contact/${id}?overwrite=true`).set('Authorization', auth).send({ phone: '14155551234', custom: {} }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete(`/v1/contact/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
  });

  it('answers 404 to /v1/contact/get, /status and /set_status by another team\'s phone or id, changing nothing', async () => {
    const { t, auth, other } = await twoTeams();
    const { id } = other.contact;
    const post = (path: string, body: object) => () => t.http.post(path).set('Authorization', auth).send(body);
    await expectRejected(t, post('/v1/contact/get', { phone: TEAM2.phone }), 404, 'not_found', 'phone');
    await expectRejected(t, post('/v1/contact/get', { id }), 404, 'not_found', 'id');
    await expectRejected(t, post('/v1/contact/get', { id: String(id) }), 404, 'not_found', 'id');
    await expectRejected(t, post('/v1/contact/status', { phone: TEAM2.phone }), 404, 'not_found', 'phone');
    await expectRejected(t, post('/v1/contact/status', { id }), 404, 'not_found', 'id');
    for (const status of ['blocked', 'unsubscribed', 'active']) {
      await expectRejected(t, post('/v1/contact/set_status', { phone: TEAM2.phone, status }), 404, 'not_found', 'phone');
      await expectRejected(t, post('/v1/contact/set_status', { id, status }), 404, 'not_found', 'id');
    }
  });

  it('keeps another team\'s contacts out of /v1/contacts and /v1/contacts/count', async () => {
    const { t, auth } = await twoTeams();
    const mine = await createContact(t, auth, { phone: '14155551234', first: 'Mine' });
    const list = await t.http.post('/v1/contacts').set('Authorization', auth).send({});
    expect(list.body.map((c: { id: number }) => c.id)).toEqual([mine.id]);
    expect((await t.http.post('/v1/contacts').set('Authorization', auth).send({ filter: 'Zed' })).body).toEqual([]);
    expect((await t.http.post('/v1/contacts').set('Authorization', auth).send({ filter: TEAM2.phone })).body).toEqual([]);
    expect((await t.http.post('/v1/contacts').set('Authorization', auth).send({ assigned: TEAM2.memberId })).body).toEqual([]);
    expect((await t.http.post('/v1/contacts').set('Authorization', auth).send({ ascending: true, limit: 100 })).body).toHaveLength(1);
    expect((await t.http.post('/v1/contacts/count').set('Authorization', auth)).body).toBe('1');
    expect((await t.http.post('/v1/contacts/count').set('Authorization', auth).send({ filter: 'Zed' })).body).toBe('0');
    expect((await t.http.post('/v1/contacts/count').set('Authorization', AUTH2)).body).toBe('1');
    // And the other way round.
    expectApiError(await t.http.get(`/v1/contact/${mine.id}`).set('Authorization', AUTH2), 404, 'not_found', 'id');
    expect((await t.http.post('/v1/contacts').set('Authorization', AUTH2).send({ filter: 'Mine' })).body).toEqual([]);
  });

  it('refuses another team\'s tag ids, field ids and member ids on create, update and batch, changing nothing', async () => {
    const { t, auth, other } = await twoTeams();
    const mine = await createContact(t, auth, { phone: '14155551234' });
    const create = (body: object) => () => t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155559876', ...body });
    const update = (body: object) => () => t.http.put(`/v1/contact/${mine.id}`).set('Authorization', auth).send({ phone: '14155551234', ...body });
    for (const send of [create, update]) {
      await expectRejected(t, send({ tags: [{ tag_id: other.tagId }] }), 400, 'bad_data', 'tags[0].tag_id');
      await expectRejected(t, send({ custom: { [other.fieldId]: 'x' } }), 400, 'bad_data', `custom.${other.fieldId}`);
      await expectRejected(t, send({ assignee_id: TEAM2.memberId }), 400, 'bad_data', 'assignee_id');
    }
    const before = snapshot(t);
    const batch = await t.http
      .post('/v1/batch/contacts')
      .set('Authorization', auth)
      .send([
        { phone: '14155559876', tags: [{ tag_id: other.tagId }] },
        { phone: '14155559877', custom: { [other.fieldId]: 'x' } },
      ]);
    expect(batch.status).toBe(200);
    expect(batch.body.map((f: { field: string }) => f.field)).toEqual(['[0].tags[0].tag_id', `[1].custom.${other.fieldId}`]);
    expect(snapshot(t)).toEqual(before);
  });

  it('uses only the team\'s own custom field definitions', async () => {
    const { t, auth, other } = await twoTeams();
    expect((await t.http.post('/v1/contact-fields').set('Authorization', auth)).body).toEqual([]);
    const res = await t.http.post('/v1/contacts/fields').set('Authorization', auth).send([{ title: TEAM2.fieldTitle }]);
    expect(res.body).toEqual([{ id: expect.any(Number), title: TEAM2.fieldTitle, duplicate: false }]);
    expect(res.body[0].id).not.toBe(other.fieldId);
    expect((await t.http.post('/v1/contact-fields').set('Authorization', AUTH2)).body).toEqual([{ id: other.fieldId, title: TEAM2.fieldTitle, name: TEAM2.fieldTitle }]);
    // Team 1's own tag and field work as expected beside team 2's.
    const tag = await createTag(t, auth, 'Mine');
    const field = await createField(t, auth, 'Mine');
    const c = await createContact(t, auth, { phone: '14155551234', tags: [{ tag_id: tag }], custom: { [field]: 'v' } });
    expect((await getContact(t, auth, c.id)).custom).toEqual({ [String(field)]: 'v' });
  });

  it('allows the same phone in both teams, each team seeing its own contact', async () => {
    const { t, auth, other } = await twoTeams();
    const before2 = (await t.http.get(`/v1/contact/${other.contact.id}`).set('Authorization', AUTH2)).body;
    const mine = await createContact(t, auth, { phone: TEAM2.phone, first: 'Team One' });
    expect(mine.id).not.toBe(other.contact.id);
    expect((await t.http.post('/v1/contact/get').set('Authorization', auth).send({ phone: TEAM2.phone })).body.id).toBe(mine.id);
    expect((await t.http.post('/v1/contact/get').set('Authorization', AUTH2).send({ phone: TEAM2.phone })).body.id).toBe(other.contact.id);

    // Writes by phone stay inside the caller's team.
    await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ phone: TEAM2.phone, status: 'blocked' }).expect(200);
    expect((await t.http.post('/v1/contact/status').set('Authorization', AUTH2).send({ phone: TEAM2.phone })).body.blocked).toBe(false);
    expect((await t.http.post('/v1/contact/status').set('Authorization', auth).send({ phone: TEAM2.phone })).body.blocked).toBe(true);
    const batch = await t.http.post('/v1/batch/contacts?overwrite=true').set('Authorization', auth).send([{ phone: TEAM2.phone, first: 'Overwritten' }]);
    expect(batch.body).toBe('ok');
    expect((await getContact(t, auth, mine.id)).first).toBe('Overwritten');
    expect((await t.http.get(`/v1/contact/${other.contact.id}`).set('Authorization', AUTH2)).body).toEqual(before2);
    expect(t.sql('SELECT team_id, channel_type, channel_id FROM contact_channels WHERE channel_type = ? ORDER BY team_id', 'phone')).toEqual([
      { team_id: 1, channel_type: 'phone', channel_id: TEAM2.phone },
      { team_id: 2, channel_type: 'phone', channel_id: TEAM2.phone },
    ]);
  });
});
