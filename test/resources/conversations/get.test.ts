import { describe, expect, it } from 'vitest';
import { T0 } from '../../support/app.js';
import { createContact, emailConversation, expectRejected, groupConversation, iso, smsConversation, start } from './support.js';

describe('GET /v1/conversations/{id}', () => {
  it('answers an individual SMS conversation in the generated shape', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, '14155551234', { assignedId: 2, creatorId: 1, name: 'Jane Roe', read: false, replied: true });
    const res = await t.http.get(`/v1/conversations/${row.id}`).set('Authorization', auth);
    expect(res.status).toBe(200);
    // The contact and the conversation are both written at T0 (true times on the frozen clock).
    expect(res.body).toEqual({
      id: row.id,
      assigned: 2,
      blocked: false,
      channel: 'sms',
      created: iso(T0),
      creator: 1,
      email_noti: false,
      inbox: 10,
      last_inbound: 0,
      local_id: '',
      members: [{ id: 1, name: 'Alice Admin' }, { id: 2, name: 'Bob Member' }],
      muted: false,
      name: 'Jane Roe',
      noreply: '',
      op: 'create',
      read: 0,
      replied: true,
      snooze_till: '0001-01-01T00:00:00Z',
      status: 'open',
      super: 0,
      support: false,
      target: '14155551234',
      targets: ['14155551234'],
      type: 'individual',
      updated: iso(T0),
    });
  });

  it('answers group MMS and email conversations, and reports a blocked contact', async () => {
    const { t, auth } = await start();
    const group = groupConversation(t, ['14155554343', '12158375180']);
    const mail = emailConversation(t, ['jane@example.com', 'joe@example.com'], { status: 'closed' });
    const g = await t.http.get(`/v1/conversations/${group.id}`).set('Authorization', auth);
    expect(g.body).toMatchObject({ channel: 'mms', type: 'group', target: '12158375180,14155554343', targets: ['12158375180', '14155554343'], read: 1 });
    const m = await t.http.get(`/v1/conversations/${mail.id}`).set('Authorization', auth);
    expect(m.body).toMatchObject({
      channel: 'email', type: 'email', inbox: 12, status: 'closed', target: 'jane@example.com',
      members: [{ id: 1, name: 'Alice Admin' }, { id: 3, name: 'Carol Email' }],
    });

    const phone = '14155559999';
    const sms = await smsConversation(t, auth, phone);
    const blocked = await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ phone, status: 'blocked' });
    expect(blocked.status).toBe(200);
    expect((await t.http.get(`/v1/conversations/${sms.id}`).set('Authorization', auth)).body.blocked).toBe(true);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, '14155551234');
    await expectRejected(t, () => t.http.get('/v1/conversations/999').set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.get('/v1/conversations/abc').set('Authorization', auth), 400, 'bad_data', 'id');
  });
});
