import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/app.js';
import {
  conversationJson, emailConversation, expectRejected, groupConversation, iso, rowOf, smsConversation, smsConversationFor, start,
} from './support.js';

async function ok(t: TestApp, auth: string, path: string, body: object) {
  const res = await t.http.post(path).set('Authorization', auth).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toBe('ok');
  expect(res.text).toBe('"ok"');
  expect(res.headers['content-type']).toMatch(/application\/json/);
}

const PHONE = '14155551234';

describe('POST /v1/conversations/open and /close (rule 30)', () => {
  it('closes by chat_id and reopens by target: status, op and updated change; a repeat is a no-op', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE);

    t.clock.advance(1_000);
    await ok(t, auth, '/v1/conversations/close', { chat_id: row.id, inbox_id: 10, user_id: 2 });
    const closed = rowOf(t, row.id);
    expect(closed).toMatchObject({ status: 'closed', op: 'close', updated: row.updated + 1_000 });
    const got = await t.http.get(`/v1/conversations/${row.id}`).set('Authorization', auth);
    expect(got.body).toEqual(conversationJson(row, { status: 'closed', op: 'close', updated: iso(closed.updated as number) }));

    // A repeat, later, is a no-op: not even updated moves.
    t.clock.advance(1_000);
    await ok(t, auth, '/v1/conversations/close', { chat_id: row.id, inbox_id: 10, user_id: 1 });
    expect(rowOf(t, row.id)).toEqual(closed);

    t.clock.advance(1_000);
    await ok(t, auth, '/v1/conversations/open', { target: PHONE, inbox_id: 10, user_id: 1 });
    const opened = rowOf(t, row.id);
    expect(opened).toMatchObject({ status: 'open', op: 'open', updated: row.updated + 3_000 });
    t.clock.advance(1_000);
    await ok(t, auth, '/v1/conversations/open', { target: PHONE, inbox_id: 10, user_id: 1 });
    expect(rowOf(t, row.id)).toEqual(opened);
  });

  it('addresses a group by targets in any order; chat_id wins over target, targets over target', async () => {
    const { t, auth } = await start();
    const group = groupConversation(t, ['14155554343', '12158375180']);
    const sms = await smsConversation(t, auth, PHONE);
    await ok(t, auth, '/v1/conversations/close', { targets: ['14155554343', '12158375180', '14155554343'], inbox_id: 10, user_id: 1 });
    expect(rowOf(t, group.id).status).toBe('closed');
    expect(rowOf(t, sms.id).status).toBe('open');

    // The generated example sends chat_id and target together (its 14151234567 fails the shared E.164 check).
    await ok(t, auth, '/v1/conversations/open', { chat_id: group.id, inbox_id: 10, target: '14155557777', user_id: 1 });
    expect(rowOf(t, group.id).status).toBe('open');
    await ok(t, auth, '/v1/conversations/close', { target: PHONE, targets: ['12158375180', '14155554343'], inbox_id: 10, user_id: 1 });
    expect(rowOf(t, group.id).status).toBe('closed');
    expect(rowOf(t, sms.id).status).toBe('open');
  });

  it('by target picks the newest SMS conversation of that inbox; email threads close by chat_id', async () => {
    const { t, auth } = await start();
    const older = await smsConversation(t, auth, PHONE, { status: 'closed' });
    const newer = smsConversationFor(t, older.contactId!, PHONE, { status: 'closed' });
    const other = smsConversationFor(t, older.contactId!, PHONE, { inboxId: 11, status: 'closed' });
    await ok(t, auth, '/v1/conversations/open', { target: PHONE, inbox_id: 10, user_id: 2 });
    expect([rowOf(t, older.id).status, rowOf(t, newer.id).status, rowOf(t, other.id).status]).toEqual(['closed', 'open', 'closed']);

    const mail = emailConversation(t, ['jane@example.com']);
    await ok(t, auth, '/v1/conversations/close', { chat_id: mail.id, inbox_id: 12, user_id: 3 });
    expect(rowOf(t, mail.id).status).toBe('closed');
  });

  it('rejects bad bodies, foreign inboxes and users, and unknown conversations, changing nothing', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE);
    const elsewhere = await smsConversation(t, auth, '14155559876', { inboxId: 11 });
    groupConversation(t, ['14155554343', '12158375180']);
    for (const path of ['/v1/conversations/open', '/v1/conversations/close']) {
      const post = (body: object) => () => t.http.post(path).set('Authorization', auth).send(body);
      await expectRejected(t, post({ chat_id: row.id, user_id: 1 }), 400, 'bad_data', 'inbox_id');
      await expectRejected(t, post({ chat_id: row.id, inbox_id: 10 }), 400, 'bad_data', 'user_id');
      await expectRejected(t, post({ inbox_id: 10, user_id: 1 }), 400, 'bad_data', 'chat_id');
      await expectRejected(t, post({ chat_id: 0, inbox_id: 10, user_id: 1 }), 400, 'bad_data', 'chat_id');
      await expectRejected(t, post({ chat_id: String(row.id), inbox_id: 10, user_id: 1 }), 400, 'bad_data', 'chat_id');
      await expectRejected(t, post({ target: '+14155551234', inbox_id: 10, user_id: 1 }), 400, 'bad_data', 'target');
      await expectRejected(t, post({ targets: [], inbox_id: 10, user_id: 1 }), 400, 'bad_data', 'targets');
      await expectRejected(t, post({ targets: ['14155554343', 'x'], inbox_id: 10, user_id: 1 }), 400, 'bad_data', 'targets[1]');
      await expectRejected(t, post({ chat_id: row.id, inbox_id: 99, user_id: 1 }), 400, 'bad_data', 'inbox_id');
      await expectRejected(t, post({ chat_id: row.id, inbox_id: 10, user_id: 3 }), 403, 'denied', 'user_id');
      await expectRejected(t, post({ chat_id: row.id, inbox_id: 10, user_id: 99 }), 403, 'denied', 'user_id');
      await expectRejected(t, post({ chat_id: 999, inbox_id: 10, user_id: 1 }), 404, 'not_found', 'chat_id');
      await expectRejected(t, post({ chat_id: elsewhere.id, inbox_id: 10, user_id: 1 }), 400, 'bad_data', 'chat_id');
      await expectRejected(t, post({ target: '14155559876', inbox_id: 10, user_id: 1 }), 404, 'not_found', 'target');
      await expectRejected(t, post({ targets: ['14155554343', '14155559876'], inbox_id: 10, user_id: 1 }), 404, 'not_found', 'targets');
      await expectRejected(t, post({ targets: ['14155554343', '12158375180'], inbox_id: 11, user_id: 1 }), 404, 'not_found', 'targets');
    }
  });
});

describe('POST /v1/conversations/read and /unread (gap V4)', () => {
  it('sets the read flag only (updated stays); reassign_id is ignored; a repeat is a no-op', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE);
    const group = groupConversation(t, ['14155554343', '12158375180']);

    await ok(t, auth, '/v1/conversations/unread', { target: PHONE, inbox_id: 10, user_id: 1 });
    expect(rowOf(t, row.id)).toMatchObject({ read: 0, updated: row.updated, op: 'create', status: 'open' });
    expect((await t.http.get(`/v1/conversations/${row.id}`).set('Authorization', auth)).body).toEqual(conversationJson(row, { read: 0 }));
    const unread = rowOf(t, row.id);
    await ok(t, auth, '/v1/conversations/unread', { chat_id: row.id, inbox_id: 10, user_id: 2 });
    expect(rowOf(t, row.id)).toEqual(unread);

    await ok(t, auth, '/v1/conversations/read', { inbox_id: 10, user_id: 1, target: PHONE, reassign_id: 99 });
    expect(rowOf(t, row.id)).toMatchObject({ read: 1, updated: row.updated });

    await ok(t, auth, '/v1/conversations/unread', { targets: ['12158375180', '14155554343'], inbox_id: 10, user_id: 1 });
    expect(rowOf(t, group.id).read).toBe(0);
    await ok(t, auth, '/v1/conversations/read', { chat_id: group.id, inbox_id: 10, user_id: 1 });
    expect(rowOf(t, group.id).read).toBe(1);
  });

  it('rejects like open/close', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE);
    for (const path of ['/v1/conversations/read', '/v1/conversations/unread']) {
      const post = (body: object) => () => t.http.post(path).set('Authorization', auth).send(body);
      await expectRejected(t, post({ target: PHONE, user_id: 1 }), 400, 'bad_data', 'inbox_id');
      await expectRejected(t, post({ target: PHONE, inbox_id: 10 }), 400, 'bad_data', 'user_id');
      await expectRejected(t, post({ inbox_id: 10, user_id: 1, reassign_id: 2 }), 400, 'bad_data', 'chat_id');
      await expectRejected(t, post({ target: PHONE, inbox_id: 12, user_id: 1 }), 404, 'not_found', 'target');
      await expectRejected(t, post({ target: PHONE, inbox_id: 99, user_id: 1 }), 400, 'bad_data', 'inbox_id');
      await expectRejected(t, post({ target: PHONE, inbox_id: 10, user_id: 3 }), 403, 'denied', 'user_id');
      await expectRejected(t, post({ chat_id: row.id + 100, inbox_id: 10, user_id: 1 }), 404, 'not_found', 'chat_id');
      await expectRejected(t, post({ chat_id: row.id, inbox_id: 11, user_id: 1 }), 400, 'bad_data', 'chat_id');
    }
  });
});

describe('POST /v1/conversations/reassign (rule 31)', () => {
  it('assigns the conversation to another member of the same inbox, by target or targets', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE, { assignedId: 1 });
    const group = groupConversation(t, ['14155554343', '12158375180']);

    await ok(t, auth, '/v1/conversations/reassign', { inbox_id: 10, target: PHONE, user_id: 1, reassign_id: 2 });
    expect(rowOf(t, row.id)).toMatchObject({ assigned_id: 2, updated: row.updated, status: 'open' });
    expect((await t.http.get(`/v1/conversations/${row.id}`).set('Authorization', auth)).body).toEqual(conversationJson(row, { assigned: 2 }));
    // user_id need not be the current owner, only a member of the inbox; a repeat is a no-op.
    await ok(t, auth, '/v1/conversations/reassign', { inbox_id: 10, target: PHONE, user_id: 1, reassign_id: 2 });
    expect(rowOf(t, row.id).assigned_id).toBe(2);

    await ok(t, auth, '/v1/conversations/reassign', { inbox_id: 10, targets: ['14155554343', '12158375180'], user_id: 2, reassign_id: 1 });
    expect(rowOf(t, group.id).assigned_id).toBe(1);
  });

  it('rejects a missing field, a new owner outside the inbox, an acting user outside it, and unknown targets', async () => {
    const { t, auth } = await start();
    const row = await smsConversation(t, auth, PHONE);
    const post = (body: object) => () => t.http.post('/v1/conversations/reassign').set('Authorization', auth).send(body);
    const base = { inbox_id: 10, target: PHONE, user_id: 1, reassign_id: 2 };
    await expectRejected(t, post({ ...base, inbox_id: undefined }), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, post({ ...base, user_id: undefined }), 400, 'bad_data', 'user_id');
    await expectRejected(t, post({ ...base, reassign_id: undefined }), 400, 'bad_data', 'reassign_id');
    await expectRejected(t, post({ inbox_id: 10, chat_id: row.id, user_id: 1, reassign_id: 2 }), 400, 'bad_data', 'target');
    await expectRejected(t, post({ ...base, reassign_id: 3 }), 400, 'bad_data', 'reassign_id');
    await expectRejected(t, post({ ...base, reassign_id: 99 }), 400, 'bad_data', 'reassign_id');
    await expectRejected(t, post({ ...base, user_id: 3 }), 403, 'denied', 'user_id');
    await expectRejected(t, post({ ...base, user_id: 21 }), 403, 'denied', 'user_id');
    await expectRejected(t, post({ ...base, inbox_id: 99 }), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, post({ ...base, target: '14155550000' }), 404, 'not_found', 'target');
    await expectRejected(t, post({ ...base, target: undefined, targets: ['14155554343', '12158375180'] }), 404, 'not_found', 'targets');
  });
});
