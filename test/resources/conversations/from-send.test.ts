import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { conversationJson, expectRejected, rowOf, start } from './support.js';
import type { ConversationRow } from '../../../src/resources/conversations/store.js';

// Conversations created by the real send endpoints, driven through the conversation endpoints.

async function send(t: TestApp, auth: string, body: object) {
  const res = await t.http.post('/v1/message/send').set('Authorization', auth).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: number };
}

const asRow = (r: Record<string, unknown>) =>
  ({
    id: r.id, teamId: r.team_id, inboxId: r.inbox_id, contactId: r.contact_id, channel: r.channel, target: r.target,
    targets: JSON.parse(r.targets as string), name: r.name, status: r.status, assignedId: r.assigned_id, creatorId: r.creator_id,
    read: r.read === 1, replied: r.replied === 1, localId: r.local_id, lastInbound: r.last_inbound, op: r.op, created: r.created, updated: r.updated,
  }) as ConversationRow;

describe('conversations created by message send', () => {
  it('an SMS send creates a conversation that get, list, count, close, reassign and transfer see', async () => {
    const { t, auth } = await start();
    await send(t, auth, { inbox_id: 10, creator_id: 1, phone_number: '14155551234', text: 'hi' });
    const [stored] = t.sql<Record<string, unknown>>('SELECT * FROM conversations');
    expect(stored).toMatchObject({ channel: 'sms', target: '14155551234', inbox_id: 10, status: 'open' });
    const id = stored!.id as number;

    const got = await t.http.get(`/v1/conversations/${id}`).set('Authorization', auth);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(conversationJson(asRow(stored!)));

    const listed = await t.http.post('/v1/conversations').set('Authorization', auth).send({ id: 1, filters: { inboxes: [10], closed: false } });
    expect(listed.body.map((c: { id: number }) => c.id)).toEqual([id]);
    expect((await t.http.post('/v1/conversations/count').set('Authorization', auth).send({})).body).toBe('1');

    const close = await t.http.post('/v1/conversations/close').set('Authorization', auth).send({ target: '14155551234', inbox_id: 10, user_id: 2 });
    expect(close.body).toBe('ok');
    expect(rowOf(t, id).status).toBe('closed');
    const reassign = await t.http.post('/v1/conversations/reassign').set('Authorization', auth).send({ target: '14155551234', inbox_id: 10, user_id: 2, reassign_id: 2 });
    expect(reassign.body).toBe('ok');
    const transfer = await t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: id, transfer_inbox_id: 11 });
    expect(transfer.body).toBe('ok');
    expect(rowOf(t, id)).toMatchObject({ inbox_id: 11, assigned_id: 2, status: 'closed' });

    // A new send from inbox 10 starts a new thread there; now inbox 11 already has this contact.
    await send(t, auth, { inbox_id: 10, creator_id: 1, phone_number: '14155551234', text: 'again' });
    const fresh = t.sql<{ id: number }>('SELECT id FROM conversations WHERE inbox_id = 10')[0]!.id;
    await expectRejected(t, () => t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: fresh, transfer_inbox_id: 11 }), 400, 'bad_data', 'transfer_inbox_id');
  });

  it('a group MMS send is addressed by its targets in any order; an email thread cannot be transferred', async () => {
    const { t, auth } = await start();
    await send(t, auth, { inbox_id: 10, creator_id: 1, targets: ['14155554343', '12158375180'], text: 'hello all' });
    const group = t.sql<{ id: number; channel: string; target: string }>('SELECT id, channel, target FROM conversations')[0]!;
    expect(group).toMatchObject({ channel: 'mms', target: '12158375180,14155554343' });
    const unread = await t.http.post('/v1/conversations/unread').set('Authorization', auth).send({ targets: ['14155554343', '12158375180'], inbox_id: 10, user_id: 1 });
    expect(unread.body).toBe('ok');
    expect(rowOf(t, group.id).read).toBe(0);

    const mail = await t.http.post('/v1/email/send').set('Authorization', auth).send({ inbox: 12, creator_id: 1, targets: ['to:jane@example.com'], text: 'hi', subject: 'Hello' });
    expect(mail.status, JSON.stringify(mail.body)).toBe(200);
    const convo = mail.body.convo_id as number;
    expect((await t.http.get(`/v1/conversations/${convo}`).set('Authorization', auth)).body).toMatchObject({ channel: 'email', type: 'email', inbox: 12 });
    await expectRejected(t, () => t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: convo, transfer_inbox_id: 10 }), 400, 'bad_data', 'conversation_id');
  });
});
