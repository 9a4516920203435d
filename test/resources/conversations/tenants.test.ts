import { describe, expect, it } from 'vitest';
import { expectRejected, rowOf, smsConversation, start, TEAM2_AUTH } from './support.js';

const PHONE = '14155551234';

/** Team 1 and team 2 each with a conversation with the same phone (team 2's in its inbox 20). */
async function twoTeams() {
  const { t, auth } = await start({ twoTeams: true });
  const mine = await smsConversation(t, auth, PHONE);
  const theirs = await smsConversation(t, TEAM2_AUTH, PHONE, { inboxId: 20, assignedId: 21 }, 2);
  return { t, auth, mine, theirs };
}

describe('conversations: tenant isolation', () => {
  it("team 1 gets 404 on team 2's conversation id; team 2 sees its own", async () => {
    const { t, auth, theirs } = await twoTeams();
    await expectRejected(t, () => t.http.get(`/v1/conversations/${theirs.id}`).set('Authorization', auth), 404, 'not_found', 'id');
    const own = await t.http.get(`/v1/conversations/${theirs.id}`).set('Authorization', TEAM2_AUTH);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: theirs.id, inbox: 20, assigned: 21, target: PHONE, members: [{ id: 21, name: 'Dan Two' }, { id: 22, name: 'Eve' }] });
  });

  it("list and count never include the other team's conversations", async () => {
    const { t, auth, mine, theirs } = await twoTeams();
    for (const body of [{}, { id: 0, filters: {} }, { id: 1, filters: {} }, { filter: PHONE }]) {
      const res = await t.http.post('/v1/conversations').set('Authorization', auth).send(body);
      expect(res.body.map((c: { id: number }) => c.id)).toEqual([mine.id]);
      expect((await t.http.post('/v1/conversations/count').set('Authorization', auth).send(body)).body).toBe('1');
    }
    const res = await t.http.post('/v1/conversations').set('Authorization', TEAM2_AUTH).send({ id: 21, filters: {} });
    expect(res.body.map((c: { id: number }) => c.id)).toEqual([theirs.id]);
    const post = (body: object) => () => t.http.post('/v1/conversations').set('Authorization', auth).send(body);
    await expectRejected(t, post({ id: 0, filters: { inboxes: [20] } }), 400, 'bad_data', 'filters.inboxes[0]');
    await expectRejected(t, post({ id: 21, filters: {} }), 403, 'denied', 'id');
  });

  it("cannot open, close, mark, reassign or transfer team 2's conversation, nor use its inbox or members", async () => {
    const { t, auth, mine, theirs } = await twoTeams();
    for (const path of ['open', 'close', 'read', 'unread']) {
      const post = (body: object) => () => t.http.post(`/v1/conversations/${path}`).set('Authorization', auth).send(body);
      await expectRejected(t, post({ chat_id: theirs.id, inbox_id: 10, user_id: 1 }), 404, 'not_found', 'chat_id');
      await expectRejected(t, post({ chat_id: theirs.id, inbox_id: 20, user_id: 21 }), 400, 'bad_data', 'inbox_id');
      await expectRejected(t, post({ target: PHONE, inbox_id: 20, user_id: 1 }), 400, 'bad_data', 'inbox_id');
      await expectRejected(t, post({ target: PHONE, inbox_id: 10, user_id: 21 }), 403, 'denied', 'user_id');
    }
    const reassign = (body: object) => () => t.http.post('/v1/conversations/reassign').set('Authorization', auth).send(body);
    await expectRejected(t, reassign({ target: PHONE, inbox_id: 20, user_id: 21, reassign_id: 22 }), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, reassign({ target: PHONE, inbox_id: 10, user_id: 1, reassign_id: 21 }), 400, 'bad_data', 'reassign_id');

    const transfer = (body: object) => () => t.http.post('/v1/conversations/transfer').set('Authorization', auth).send(body);
    await expectRejected(t, transfer({ conversation_id: theirs.id, transfer_inbox_id: 11 }), 404, 'not_found', 'conversation_id');
    await expectRejected(t, transfer({ conversation_id: mine.id, transfer_inbox_id: 20 }), 400, 'bad_data', 'transfer_inbox_id');

    // Team 1 closing its own conversation by the shared phone leaves team 2's alone.
    const closed = await t.http.post('/v1/conversations/close').set('Authorization', auth).send({ target: PHONE, inbox_id: 10, user_id: 1 });
    expect(closed.body).toBe('ok');
    expect(rowOf(t, mine.id).status).toBe('closed');
    expect(rowOf(t, theirs.id)).toMatchObject({ status: 'open', team_id: 2, inbox_id: 20 });
  });
});
