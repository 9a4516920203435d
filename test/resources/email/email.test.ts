import { describe, expect, it } from 'vitest';
import {
  AUTH2, conversationOf, count, createContact, delivered, email, EMAIL_ADDRESS, EMAIL_INBOX, expectRejected, getConversation, iso,
  messageRow, N1, send, sendEmail, sendEmailOk, sendOk, setStatus, sms, SMS_INBOX, snapshot, start, startTwo, T0,
} from '../messages/support.js';

const MEMBERS_12 = [{ id: 1, name: 'Alice Admin' }, { id: 3, name: 'Carol Email' }];

describe('POST /v1/email/send: new threads (targets)', () => {
  it('end to end: {id, convo_id, queued, date, compliance_results}, contact, conversation, message, outbox', async () => {
    const { t, auth } = await start();
    const res = await sendEmail(t, auth, {
      creator_id: 3, inbox: EMAIL_INBOX, conv_title: 'Your refund',
      targets: ['to:ann@example.com,bob@example.com', 'cc:carol@example.org'],
      text: '<p>We have processed your refund.</p>',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: expect.any(Number), convo_id: expect.any(Number), queued: true, date: iso(T0), compliance_results: {} });
    expect(Object.keys(res.body).sort()).toEqual(['compliance_results', 'convo_id', 'date', 'id', 'queued']);

    // The first to: address is the thread's contact, created with an email channel.
    const contacts = t.sql<{ id: number; email: string; phone: string | null }>('SELECT id, email, phone FROM contacts');
    expect(contacts).toEqual([{ id: expect.any(Number), email: 'ann@example.com', phone: null }]);
    expect(t.sql('SELECT channel_type, channel_id FROM contact_channels')).toEqual([{ channel_type: 'email', channel_id: 'ann@example.com' }]);

    const conv = await getConversation(t, auth, res.body.convo_id);
    expect(conv).toEqual({
      id: res.body.convo_id, assigned: 3, blocked: false, channel: 'email', created: iso(T0), creator: 3, email_noti: false,
      inbox: EMAIL_INBOX, last_inbound: 0, local_id: '', members: MEMBERS_12, muted: false, name: 'Your refund', noreply: '',
      op: 'create', read: 1, replied: false, snooze_till: '0001-01-01T00:00:00Z', status: 'open', super: 0, support: false,
      target: 'ann@example.com', targets: ['ann@example.com', 'bob@example.com', 'carol@example.org'], type: 'email', updated: iso(T0),
    });
    expect(t.sql('SELECT contact_id FROM conversations')).toEqual([{ contact_id: contacts[0]!.id }]);

    expect(messageRow(t, res.body.id)).toMatchObject({
      conversation_id: res.body.convo_id, inbox_id: EMAIL_INBOX, type: 'outbound', channel: 'email', status: 'sent',
      text: '<p>We have processed your refund.</p>', user_id: 3,
    });
    expect(delivered(t)).toEqual([
      {
        message_id: res.body.id, channel: 'email', from: EMAIL_ADDRESS, to: ['ann@example.com', 'bob@example.com'], cc: ['carol@example.org'],
        subject: 'Your refund', text: '<p>We have processed your refund.</p>', media_url: '',
      },
    ]);

    // The message list shows it with its conversation.
    const all = await t.http.post('/v1/messages/all').set('Authorization', auth).send({});
    expect(all.body).toHaveLength(1);
    expect(all.body[0]).toMatchObject({ id: res.body.id, conversation: conv, type: 'outbound', text: '<p>We have processed your refund.</p>', user: 3 });
  });

  it('raw_text is stored beside the HTML text', async () => {
    const { t, auth } = await start();
    const r = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'], text: '<p>Hi</p>', raw_text: 'Hi' }));
    expect(messageRow(t, r.id)).toMatchObject({ text: '<p>Hi</p>', raw_text: 'Hi' });
  });

  it('finds an existing contact by email (case-insensitively) instead of creating one', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1, email: 'Ann@Example.com', first: 'Ann' });
    const r = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'] }));
    expect(t.sql('SELECT id FROM contacts')).toEqual([{ id }]);
    expect(t.sql('SELECT contact_id FROM conversations WHERE id = ?', r.convo_id)).toEqual([{ contact_id: id }]);
  });

  it('each targets send starts a new conversation, even to the same addresses', async () => {
    const { t, auth } = await start();
    const a = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'], conv_title: 'First' }));
    const b = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'], conv_title: 'Second' }));
    expect(b.convo_id).not.toBe(a.convo_id);
    expect(count(t, 'contacts')).toBe(1);
    expect(count(t, 'conversations')).toBe(2);
    expect(delivered(t).map((d) => d.subject)).toEqual(['First', 'Second']);
  });

  it('accepts several to:/cc: elements, upper-case prefixes and spaces around addresses; up to 10 recipients', async () => {
    const { t, auth } = await start();
    const r = await sendEmailOk(t, auth, email({
      targets: ['TO: a1@example.com , a2@example.com', 'cc:a3@example.com,a4@example.com', 'to:a5@example.com', 'Cc:a6@example.com,a7@example.com,a8@example.com,a9@example.com,a10@example.com'],
    }));
    expect(delivered(t)).toEqual([expect.objectContaining({
      message_id: r.id,
      to: ['a1@example.com', 'a2@example.com', 'a5@example.com'],
      cc: ['a3@example.com', 'a4@example.com', 'a6@example.com', 'a7@example.com', 'a8@example.com', 'a9@example.com', 'a10@example.com'],
    })]);
  });
});

describe('POST /v1/email/send: replies (convo_id)', () => {
  it('a reply stays in the thread, goes to the thread’s addresses, keeps its subject; conv_title is ignored', async () => {
    const { t, auth } = await start();
    const first = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com', 'cc:bob@example.com'], conv_title: 'Order 42' }));
    t.clock.advance(5000);
    const res = await sendEmail(t, auth, { creator_id: 1, inbox: EMAIL_INBOX, convo_id: first.convo_id, conv_title: 'Ignored', text: '<p>Done.</p>', raw_text: 'Done.' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: expect.any(Number), convo_id: first.convo_id, queued: true, date: iso(T0 + 5000), compliance_results: {} });
    expect(res.body.id).not.toBe(first.id);
    expect(count(t, 'conversations')).toBe(1);
    expect(count(t, 'contacts')).toBe(1);
    const conv = await getConversation(t, auth, first.convo_id);
    expect(conv).toMatchObject({ name: 'Order 42', updated: iso(T0 + 5000), targets: ['ann@example.com', 'bob@example.com'] });

    const [, reply] = delivered(t);
    expect(reply).toMatchObject({ message_id: res.body.id, channel: 'email', from: EMAIL_ADDRESS, subject: 'Order 42' });
    expect(reply!.to).toContain('ann@example.com');
    expect([...reply!.to, ...reply!.cc].sort()).toEqual(['ann@example.com', 'bob@example.com']);
    expect(t.sql('SELECT conversation_id FROM messages ORDER BY id')).toEqual([{ conversation_id: first.convo_id }, { conversation_id: first.convo_id }]);
  });

  it('convo_id unknown → 404; an SMS conversation → 400 naming convo_id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => sendEmail(t, auth, email({ convo_id: 999 })), 404, 'not_found', 'convo_id');
    const s = await sendOk(t, auth, sms(N1));
    await expectRejected(t, () => sendEmail(t, auth, email({ convo_id: conversationOf(t, s.id) })), 400, 'bad_data', 'convo_id');
  });

  it('convo_id of another email inbox → 400 naming convo_id', async () => {
    const { t } = await startTwo();
    const a = await sendEmailOk(t, AUTH2, { creator_id: 21, inbox: 25, targets: ['to:x@example.com'], text: 'from A' });
    await expectRejected(t, () => sendEmail(t, AUTH2, { creator_id: 21, inbox: 26, convo_id: a.convo_id, text: 'from B' }), 400, 'bad_data', 'convo_id');
    const ok = await sendEmailOk(t, AUTH2, { creator_id: 21, inbox: 25, convo_id: a.convo_id, text: 'reply from A' });
    expect(ok.convo_id).toBe(a.convo_id);
    expect(delivered(t).map((d) => d.from)).toEqual(['a@two.example', 'a@two.example']);
  });

  it('replying into the thread of a contact blocked since → 400; nothing stored', async () => {
    const { t, auth } = await start();
    const first = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'] }));
    const id = t.sql<{ id: number }>('SELECT id FROM contacts')[0]!.id;
    await setStatus(t, auth, id, 'blocked');
    const res = await expectRejected(t, () => sendEmail(t, auth, email({ convo_id: first.convo_id })), 400, 'bad_data', 'convo_id');
    expect(res.body.message).toMatch(/blocked/i);
  });
});

describe('POST /v1/email/send: validation (rules 10, 11; gaps M12, M13)', () => {
  it('creator_id, inbox and text are required; inbox_id is not the field', async () => {
    const { t, auth } = await start();
    const base = { creator_id: 1, inbox: EMAIL_INBOX, text: 'x', targets: ['to:ann@example.com'] };
    await expectRejected(t, () => sendEmail(t, auth, { ...base, creator_id: undefined }), 400, 'bad_data', 'creator_id');
    await expectRejected(t, () => sendEmail(t, auth, { ...base, inbox: undefined }), 400, 'bad_data', 'inbox');
    const res = await expectRejected(t, () => sendEmail(t, auth, { ...base, inbox: undefined, inbox_id: EMAIL_INBOX }), 400, 'bad_data', 'inbox');
    expect(res.body.message).toMatch(/inbox_id/);
    await expectRejected(t, () => sendEmail(t, auth, { ...base, text: undefined }), 400, 'bad_data', 'text');
    await expectRejected(t, () => sendEmail(t, auth, { ...base, text: '' }), 400, 'bad_data', 'text');
    await expectRejected(t, () => sendEmail(t, auth, { ...base, inbox: '12' }), 400, 'bad_data', 'inbox');
  });

  it('inbox must be an email inbox of the team → 400 naming inbox', async () => {
    const { t, auth } = await start();
    const res = await expectRejected(t, () => sendEmail(t, auth, email({ inbox: SMS_INBOX, targets: ['to:ann@example.com'] })), 400, 'bad_data', 'inbox');
    expect(res.body.message).toMatch(/SMS/);
    await expectRejected(t, () => sendEmail(t, auth, email({ inbox: 999, targets: ['to:ann@example.com'] })), 400, 'bad_data', 'inbox');
  });

  it('the creator must be a member of the email inbox → 403 denied naming creator_id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => sendEmail(t, auth, email({ creator_id: 2, targets: ['to:ann@example.com'] })), 403, 'denied', 'creator_id');
    await expectRejected(t, () => sendEmail(t, auth, email({ creator_id: 99, targets: ['to:ann@example.com'] })), 403, 'denied', 'creator_id');
  });

  it('targets XOR convo_id: both → 400 naming convo_id, neither → 400 naming targets', async () => {
    const { t, auth } = await start();
    const first = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'] }));
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:bob@example.com'], convo_id: first.convo_id })), 400, 'bad_data', 'convo_id');
    await expectRejected(t, () => sendEmail(t, auth, email({})), 400, 'bad_data', 'targets');
  });

  it('each element starts with "to:" or "cc:" → else 400 naming targets[i]', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com', 'bob@example.com'] })), 400, 'bad_data', 'targets[1]');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['bcc:bob@example.com', 'to:ann@example.com'] })), 400, 'bad_data', 'targets[0]');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['from:ann@example.com'] })), 400, 'bad_data', 'targets[0]');
  });

  it('every address must be valid → 400 naming the element', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com', 'cc:not-an-address'] })), 400, 'bad_data', 'targets[1]');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:'] })), 400, 'bad_data', 'targets[0]');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com,,bob@example.com'] })), 400, 'bad_data', 'targets[0]');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com;bob@example.com'] })), 400, 'bad_data', 'targets[0]');
  });

  it('at least one to:, at most 10 recipients, no address twice → 400 naming targets', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['cc:ann@example.com'] })), 400, 'bad_data', 'targets');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: [] })), 400, 'bad_data', 'targets');
    const eleven = Array.from({ length: 11 }, (_, i) => `p${i}@example.com`);
    const res = await expectRejected(t, () => sendEmail(t, auth, email({ targets: [`to:${eleven.slice(0, 6).join(',')}`, `cc:${eleven.slice(6).join(',')}`] })), 400, 'bad_data', 'targets');
    expect(res.body.message).toMatch(/10/);
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com', 'cc:ANN@example.com'] })), 400, 'bad_data', 'targets');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com,ann@example.com'] })), 400, 'bad_data', 'targets');
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: 'to:ann@example.com' })), 400, 'bad_data', 'targets');
  });

  it('a blocked contact as the recipient → 400 saying so; nothing stored', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1, email: 'ann@example.com' });
    await setStatus(t, auth, id, 'blocked');
    const res = await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com'] })), 400, 'bad_data', 'targets[0]');
    expect(res.body.message).toMatch(/blocked/i);
    await setStatus(t, auth, id, 'unblocked');
    await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'] }));
  });

  it('a blocked contact in cc: → 400 naming that element; nothing stored', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1, email: 'blocked@example.com' });
    await setStatus(t, auth, id, 'blocked');
    const asCc = await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com', 'cc:blocked@example.com'] })), 400, 'bad_data', undefined);
    expect(asCc.body.message).toMatch(/blocked/i);
    expect(asCc.body.field).toBe('targets[1]');
  });

  it('a blocked contact as the second to: address → 400; nothing stored', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1, email: 'blocked@example.com' });
    await setStatus(t, auth, id, 'blocked');
    const asSecondTo = await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['to:ann@example.com,blocked@example.com'] })), 400, 'bad_data', undefined);
    expect(asSecondTo.body.message).toMatch(/blocked/i);
    expect(asSecondTo.body.field).toBe('targets[0]');
  });

  it('the blocked recipient is named by the element that lists it', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1, email: 'blocked@example.com' });
    await setStatus(t, auth, id, 'blocked');
    const res = await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['cc:ann@example.com', 'to:blocked@example.com'] })), 400, 'bad_data', undefined);
    expect(res.body.message).toMatch(/blocked/i);
    expect(res.body.field).toBe('targets[1]');
  });
});

describe('POST /v1/email/send: local_id idempotency (rule 12)', () => {
  it('the same local_id answers the first response and sends nothing new', async () => {
    const { t, auth } = await start();
    const body = email({ targets: ['to:ann@example.com'], local_id: 'mail-1', conv_title: 'Once' });
    const first = await sendEmailOk(t, auth, body);
    const after = snapshot(t);
    t.clock.advance(60_000);
    expect((await sendEmail(t, auth, body)).body).toEqual(first);
    expect((await sendEmail(t, auth, { ...body, targets: ['to:other@example.com'] })).body).toEqual(first);
    expect(snapshot(t)).toEqual(after);
    expect(delivered(t)).toHaveLength(1);
  });

  it('20 concurrent identical sends → one message, one conversation, one outbox entry', async () => {
    const { t, auth } = await start();
    const body = email({ targets: ['to:ann@example.com'], local_id: 'mail-2' });
    const results = await Promise.all(Array.from({ length: 20 }, () => sendEmail(t, auth, body)));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(count(t, 'messages')).toBe(1);
    expect(count(t, 'conversations')).toBe(1);
    expect(count(t, 'contacts')).toBe(1);
    expect(count(t, 'outbox')).toBe(1);
  });

  it('a reply with a local_id is idempotent too', async () => {
    const { t, auth } = await start();
    const first = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'] }));
    const reply = email({ convo_id: first.convo_id, local_id: 'reply-1', text: 'reply' });
    const a = await sendEmailOk(t, auth, reply);
    const b = await sendEmailOk(t, auth, reply);
    expect(b).toEqual(a);
    expect(count(t, 'messages')).toBe(2);
  });

  it('the email namespace is separate from message send: the same local_id works on both', async () => {
    const { t, auth } = await start();
    const s = await sendOk(t, auth, sms(N1, { local_id: 'shared-key' }));
    const e = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'], local_id: 'shared-key' }));
    expect(e.id).not.toBe(s.id);
    expect(Object.keys(e).sort()).toEqual(['compliance_results', 'convo_id', 'date', 'id', 'queued']);
    expect(delivered(t).map((d) => d.channel)).toEqual(['sms', 'email']);
    // And each still replays its own first answer.
    expect((await send(t, auth, sms(N1, { local_id: 'shared-key' }))).body).toEqual(s);
    expect((await sendEmail(t, auth, email({ targets: ['to:ann@example.com'], local_id: 'shared-key' }))).body).toEqual(e);
    expect(count(t, 'messages')).toBe(2);
  });

  it('another team may use the same local_id', async () => {
    const { t, auth } = await startTwo();
    const one = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'], local_id: 'k' }));
    const two = await sendEmailOk(t, AUTH2, { creator_id: 21, inbox: 25, targets: ['to:ann@example.com'], text: 'two', local_id: 'k' });
    expect(two.id).not.toBe(one.id);
    expect(two.convo_id).not.toBe(one.convo_id);
    expect(t.sql('SELECT team_id FROM outbox ORDER BY id')).toEqual([{ team_id: 1 }, { team_id: 2 }]);
  });

  it('a rejected email does not use up its local_id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => sendEmail(t, auth, email({ targets: ['cc:ann@example.com'], local_id: 'retry' })), 400, 'bad_data', 'targets');
    const ok = await sendEmailOk(t, auth, email({ targets: ['to:ann@example.com'], local_id: 'retry' }));
    expect(delivered(t)).toEqual([expect.objectContaining({ message_id: ok.id })]);
  });
});

describe('POST /v1/email/send: tenant isolation', () => {
  it("team 1 cannot reply into team 2's thread (404) nor send from team 2's inbox (400)", async () => {
    const { t, auth } = await startTwo();
    const two = await sendEmailOk(t, AUTH2, { creator_id: 21, inbox: 25, targets: ['to:x@example.com'], text: 'two' });
    await expectRejected(t, () => sendEmail(t, auth, email({ convo_id: two.convo_id })), 404, 'not_found', 'convo_id');
    await expectRejected(t, () => sendEmail(t, auth, email({ inbox: 25, creator_id: 1, targets: ['to:x@example.com'] })), 400, 'bad_data', 'inbox');
    // Team 2's member is not team 1's.
    await expectRejected(t, () => sendEmail(t, auth, email({ creator_id: 21, targets: ['to:x@example.com'] })), 403, 'denied', 'creator_id');
    // And the other way round.
    const one = await sendEmailOk(t, auth, email({ targets: ['to:x@example.com'] }));
    await expectRejected(t, () => sendEmail(t, AUTH2, { creator_id: 21, inbox: 25, convo_id: one.convo_id, text: 'x' }), 404, 'not_found', 'convo_id');
    // Team 1's contact for x@example.com is its own.
    expect(t.sql('SELECT team_id, email FROM contacts ORDER BY id')).toEqual([
      { team_id: 2, email: 'x@example.com' },
      { team_id: 1, email: 'x@example.com' },
    ]);
  });
});
