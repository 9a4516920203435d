import { describe, expect, it } from 'vitest';
import { conversationJson, emailConversation, expectRejected, groupConversation, iso, rowOf, smsConversation, smsConversationFor, start } from './support.js';

const PHONE = '14155551234';
const GROUP = ['14155554343', '12158375180'];

describe('POST /v1/conversations/transfer (rule 32, gap V6)', () => {
  it('moves an SMS conversation to another SMS inbox and touches updated', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE, { assignedId: 2, status: 'closed', read: false });
    t.clock.advance(1_000);
    const res = await t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: row.id, transfer_inbox_id: 11 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toBe('ok');
    const moved = rowOf(t, row.id);
    expect(moved).toMatchObject({ inbox_id: 11, assigned_id: 2, status: 'closed', read: 0, target: PHONE, contact_id: row.contactId });
    expect(moved.updated).toBe(row.updated + 1_000);
    const got = await t.http.get(`/v1/conversations/${row.id}`).set('Authorization', auth);
    expect(got.body).toEqual(conversationJson({ ...row, inboxId: 11 }, { updated: iso(moved.updated as number) }));

    // And back again: the source inbox no longer holds it.
    const back = await t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: row.id, transfer_inbox_id: 10 });
    expect(back.body).toBe('ok');
    expect(rowOf(t, row.id).inbox_id).toBe(10);
  });

  it('unassigns an assignee who is not a member of the new inbox; moves a group into a local-number inbox', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE, { assignedId: 3 });
    const r1 = await t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: row.id, transfer_inbox_id: 11 });
    expect(r1.body).toBe('ok');
    expect(rowOf(t, row.id)).toMatchObject({ inbox_id: 11, assigned_id: null });

    const group = groupConversation(t, GROUP, { inboxId: 11 });
    const r2 = await t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: group.id, transfer_inbox_id: 10 });
    expect(r2.body).toBe('ok');
    expect(rowOf(t, group.id).inbox_id).toBe(10);
  });

  it('rejects missing fields, unknown ids, email conversations, non-SMS and same inboxes, changing nothing', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE);
    const mail = emailConversation(t, ['jane@example.com']);
    const post = (body: object) => () => t.http.post('/v1/conversations/transfer').set('Authorization', auth).send(body);
    await expectRejected(t, post({ transfer_inbox_id: 11 }), 400, 'bad_data', 'conversation_id');
    await expectRejected(t, post({ conversation_id: row.id }), 400, 'bad_data', 'transfer_inbox_id');
    await expectRejected(t, post({ conversation_id: 'one', transfer_inbox_id: 11 }), 400, 'bad_data', 'conversation_id');
    await expectRejected(t, post({ conversation_id: 999, transfer_inbox_id: 11 }), 404, 'not_found', 'conversation_id');
    await expectRejected(t, post({ conversation_id: mail.id, transfer_inbox_id: 10 }), 400, 'bad_data', 'conversation_id');
    await expectRejected(t, post({ conversation_id: row.id, transfer_inbox_id: 99 }), 400, 'bad_data', 'transfer_inbox_id');
    await expectRejected(t, post({ conversation_id: row.id, transfer_inbox_id: 12 }), 400, 'bad_data', 'transfer_inbox_id');
    await expectRejected(t, post({ conversation_id: row.id, transfer_inbox_id: 10 }), 400, 'bad_data', 'transfer_inbox_id');
  });

  it('refuses an inbox where the conversation already exists (same contact, or same group)', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE);
    smsConversationFor(t, row.contactId!, PHONE, { inboxId: 11, status: 'closed' });
    const post = (body: object) => () => t.http.post('/v1/conversations/transfer').set('Authorization', auth).send(body);
    const res = await expectRejected(t, post({ conversation_id: row.id, transfer_inbox_id: 11 }), 400, 'bad_data', 'transfer_inbox_id');
    expect((res.body as { message: string }).message).toContain('cannot transfer into an inbox where the conversation already exists');

    // The same contact under a number it no longer has still counts as the same thread.
    const other = await smsConversation(t, auth, '14155559876');
    smsConversationFor(t, other.contactId!, '14155559875', { inboxId: 11 });
    await expectRejected(t, post({ conversation_id: other.id, transfer_inbox_id: 11 }), 400, 'bad_data', 'transfer_inbox_id');

    const group = groupConversation(t, GROUP, { inboxId: 11 });
    groupConversation(t, GROUP, { inboxId: 10 });
    await expectRejected(t, post({ conversation_id: group.id, transfer_inbox_id: 10 }), 400, 'bad_data', 'transfer_inbox_id');
  });

  it('refuses to move a group MMS conversation into a toll-free inbox', async () => {
    const { t, auth } = await start();
    const group = groupConversation(t, GROUP);
    const res = await expectRejected(
      t,
      () => t.http.post('/v1/conversations/transfer').set('Authorization', auth).send({ conversation_id: group.id, transfer_inbox_id: 11 }),
      400,
      'bad_data',
      'transfer_inbox_id',
    );
    expect((res.body as { message: string }).message).toContain('toll-free');
  });
});
