import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectRejected, startApp, type TestApp } from '../support/app.js';

const AUTH2 = `Bearer ${TEAM2.apiKey}`;
const PHONE = '14155551234';

async function call(t: TestApp, method: 'get' | 'post', path: string, body?: object, auth?: string) {
  const req = t.http[method](path).set('Authorization', auth ?? (await t.auth()));
  return body ? req.send(body) : req;
}
async function sms(t: TestApp, phone: string, text: string, auth?: string) {
  const res = await call(t, 'post', '/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: phone, text }, auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}
const events = async (t: TestApp, q = '', auth?: string) => (await call(t, 'get', `/__mock/events${q}`, undefined, auth)).body as { entries: Array<{ type: string; event_data: Record<string, unknown> }>; last_id: number };
const inbound = (t: TestApp, body: object, auth?: string) => call(t, 'post', '/__mock/inbound', body, auth);

describe('POST /__mock/inbound', () => {
  it('creates the contact and conversation, stores the message, marks the thread unread, fires message_recieved', async () => {
    const t = await startApp();
    const res = await inbound(t, { inbox_id: 10, from: PHONE, text: 'Hello there' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ status: 'stored', message_id: 1, conversation_id: 1, contact_id: 1, contact_uuid: expect.any(String), opt: null });
    const history = await call(t, 'get', `/v1/messages?inboxID=10&phoneNumber=${PHONE}`);
    expect(history.body).toEqual([expect.objectContaining({ id: 1, type: 'inbound', status: 'received', text: 'Hello there' })]);
    const all = await call(t, 'post', '/v1/messages/all', {});
    expect(all.body.map((m: { id: number }) => m.id)).toEqual([1]);
    expect((await call(t, 'post', '/v1/messages/all/count', {})).body).toBe('1');
    const conv = await call(t, 'get', '/v1/conversations/1');
    expect(conv.body).toMatchObject({ id: 1, status: 'open' });
    expect(t.sql('SELECT read, last_inbound FROM conversations')).toEqual([{ read: 0, last_inbound: expect.any(Number) }]);
    const ev = await events(t);
    expect(ev.entries.map((e) => e.type)).toEqual(['message_recieved']);
    expect(ev.entries[0]!.event_data).toEqual(history.body[0]);
    expect((await call(t, 'post', '/v1/contact/get', { phone: PHONE })).status).toBe(200);
  });

  it('reopens a closed conversation and reuses the contact', async () => {
    const t = await startApp();
    await sms(t, PHONE, 'hi');
    const closed = await call(t, 'post', '/v1/conversations/close', { inbox_id: 10, user_id: 1, target: PHONE });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const res = await inbound(t, { inbox_id: 10, from: PHONE, text: 'back again' });
    expect(res.body).toMatchObject({ conversation_id: 1, contact_id: 1 });
    expect(t.sql('SELECT status FROM conversations')).toEqual([{ status: 'open' }]);
    expect((await events(t, '?order=asc')).entries.map((e) => e.type)).toEqual(['chat_closed', 'message_recieved']);
  });

  it('STOP opts out (target_opt_out) and the next send is refused; START opts back in (target_opt_in); a repeat fires nothing', async () => {
    const t = await startApp();
    expect((await inbound(t, { inbox_id: 10, from: PHONE, text: ' stop ' })).body.opt).toBe('opted_out');
    expect((await inbound(t, { inbox_id: 10, from: PHONE, text: 'STOP' })).body.opt).toBeNull();
    const refused = await expectRejected(t, async () => call(t, 'post', '/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: PHONE, text: 'promo' }), 400, 'bad_data', 'phone_number');
    expect((refused.body as { error_code?: string }).error_code).toBe('unsubscribed_number');
    expect((await inbound(t, { inbox_id: 10, from: PHONE, text: 'start' })).body.opt).toBe('opted_in');
    await sms(t, PHONE, 'welcome back');
    const ev = await events(t, '?order=asc');
    expect(ev.entries.map((e) => e.type)).toEqual(['message_recieved', 'target_opt_out', 'message_recieved', 'message_recieved', 'target_opt_in']);
    expect(ev.entries[1]!.event_data).toEqual({ id: 1, phone: PHONE, inbox_id: 10, unsubscribed: true, blocked: false, date: expect.any(String) });
  });

  it('drops a message from a blocked contact: nothing stored, no event', async () => {
    const t = await startApp();
    await inbound(t, { inbox_id: 10, from: PHONE, text: 'first' });
    expect((await call(t, 'post', '/v1/contact/set_status', { phone: PHONE, status: 'blocked' })).status).toBe(200);
    const before = (await events(t)).last_id;
    const res = await inbound(t, { inbox_id: 10, from: PHONE, text: 'spam' });
    expect(res.body).toEqual({ status: 'blocked', message_id: null, conversation_id: null, contact_id: null, contact_uuid: null, opt: null });
    expect(t.sql('SELECT COUNT(*) AS n FROM messages')).toEqual([{ n: 1 }]);
    expect((await events(t)).last_id).toBe(before);
  });

  it('MMS with media_url, and email into an email inbox with a subject', async () => {
    const t = await startApp();
    expect((await inbound(t, { inbox_id: 10, from: PHONE, media_url: 'https://img.test/a.png' })).status).toBe(201);
    expect(t.sql("SELECT channel, media_url FROM messages")).toEqual([{ channel: 'mms', media_url: 'https://img.test/a.png' }]);
    const mail = await inbound(t, { inbox_id: 12, from: 'pat@example.com', text: 'Help please', subject: 'Order 123' });
    expect(mail.status, JSON.stringify(mail.body)).toBe(201);
    expect(t.sql("SELECT channel, name FROM conversations WHERE channel = 'email'")).toEqual([{ channel: 'email', name: 'Order 123' }]);
  });

  it('refuses bad input naming the field, changing nothing', async () => {
    const t = await startApp();
    const post = (b: object) => async () => inbound(t, b);
    await expectRejected(t, post({ inbox_id: 99, from: PHONE, text: 'x' }), 400, 'bad_data', 'inbox_id');
    await expectRejected(t, post({ inbox_id: 10, from: '+14155551234', text: 'x' }), 400, 'bad_data', 'from');
    await expectRejected(t, post({ inbox_id: 12, from: PHONE, text: 'x' }), 400, 'bad_data', 'from');
    await expectRejected(t, post({ inbox_id: 10, from: PHONE }), 400, 'bad_data', 'text');
    await expectRejected(t, post({ inbox_id: 12, from: 'a@b.test', text: 'x', media_url: 'https://img.test/a.png' }), 400, 'bad_data', 'media_url');
    await expectRejected(t, post({ inbox_id: 10, from: PHONE, text: 'x', subject: 'no' }), 400, 'bad_data', 'subject');
    await expectRejected(t, post({ inbox_id: 10, from: PHONE, text: 'x', colour: 1 }), 400, 'bad_data');
    await expectRejected(t, async () => t.http.post('/__mock/inbound').send({ inbox_id: 10, from: PHONE, text: 'x' }), 401, 'unauthorized');
  });

  it("another team's inbox is refused, and teams never see each other's events", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    await expectRejected(t, async () => inbound(t, { inbox_id: 10, from: PHONE, text: 'x' }, AUTH2), 400, 'bad_data', 'inbox_id');
    await inbound(t, { inbox_id: 10, from: PHONE, text: 'team one' });
    expect((await events(t, '', AUTH2)).entries).toEqual([]);
  });
});

describe('delivery status', () => {
  it('auto: sent, then delivered once due work runs, visible in history and the outbox', async () => {
    const t = await startApp();
    const id = await sms(t, PHONE, 'hi');
    await t.runDue();
    expect((await call(t, 'get', `/v1/messages?inboxID=10&phoneNumber=${PHONE}`)).body[0]).toMatchObject({ id, status: 'delivered' });
    expect((await call(t, 'get', '/__mock/outbox')).body.entries[0]).toMatchObject({ status: 'delivered', error_code: null });
  });

  it('manual: stays sent until a test moves it; delivered and failed are final', async () => {
    const t = await startApp({ delivery: 'manual' });
    const id = await sms(t, PHONE, 'hi');
    await t.runDue();
    expect(t.sql('SELECT status FROM messages')).toEqual([{ status: 'sent' }]);
    const failed = await call(t, 'post', `/__mock/messages/${id}/status`, { status: 'failed', error_code: '30005', error_message: 'Unknown destination' });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(failed.body).toMatchObject({ id, status: 'failed' });
    expect((await call(t, 'get', '/__mock/outbox')).body.entries[0]).toMatchObject({ status: 'failed', error_code: '30005' });
    await expectRejected(t, async () => call(t, 'post', `/__mock/messages/${id}/status`, { status: 'delivered' }), 400, 'bad_data', 'status');
  });

  it('refuses inbound messages, notes, unknown or foreign ids, and an error on a non-failed status', async () => {
    const t = await startApp({ seed: twoTeamSeed(), delivery: 'manual' });
    const id = await sms(t, PHONE, 'hi');
    const inb = (await inbound(t, { inbox_id: 10, from: PHONE, text: 'reply' })).body.message_id as number;
    const note = await call(t, 'post', '/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: PHONE, text: 'note', private: true });
    const move = (mid: number, b: object, auth?: string) => async () => call(t, 'post', `/__mock/messages/${mid}/status`, b, auth);
    await expectRejected(t, move(inb, { status: 'delivered' }), 400, 'bad_data', 'status');
    await expectRejected(t, move(note.body.id, { status: 'delivered' }), 400, 'bad_data', 'status');
    await expectRejected(t, move(999, { status: 'delivered' }), 404, 'not_found', 'id');
    await expectRejected(t, move(id, { status: 'delivered' }, AUTH2), 404, 'not_found', 'id');
    await expectRejected(t, move(id, { status: 'delivered', error_code: '1' }), 400, 'bad_data', 'error_code');
    await expectRejected(t, move(id, { status: 'queued' }), 400, 'bad_data', 'status');
  });
});

describe('magic recipients', () => {
  it('15005550001 is refused naming the field; a broadcast skips it', async () => {
    const t = await startApp();
    const res = await expectRejected(t, async () => call(t, 'post', '/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: '15005550001', text: 'x' }), 400, 'bad_data', 'phone_number');
    expect(res.body.message).toMatch(/not a valid mobile number/);
    const group = await expectRejected(t, async () => call(t, 'post', '/v1/message/send', { inbox_id: 10, creator_id: 1, targets: [PHONE, '15005550001'], text: 'x' }), 400, 'bad_data', 'targets[1]');
    expect(group.body.message).toMatch(/not a valid mobile number/);
    const mail = await expectRejected(t, async () => call(t, 'post', '/v1/email/send', { inbox: 12, creator_id: 1, targets: ['to:invalid@heymarket-mock.test'], text: 'x' }), 400, 'bad_data');
    expect(mail.body.message).toMatch(/not a deliverable address/);
    const list = await call(t, 'post', '/v2/lists', { title: 'L', type: 'contacts', local_id: 'l1', phones: [PHONE, '15005550001'] });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const sent = await call(t, 'post', '/v1/message/send', { inbox_id: 10, creator_id: 1, list_id: list.body.id, local_id: 'b1', text: 'hi all' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect((await call(t, 'get', '/__mock/outbox')).body.entries.map((e: { to: string[] }) => e.to)).toEqual([[PHONE]]);
  });

  it.each([
    ['15005550002', '30003'],
    ['15005550003', '30007'],
  ])('%s is accepted and then fails with %s (also in manual mode)', async (phone, code) => {
    const t = await startApp({ delivery: 'manual' });
    await sms(t, phone, 'x');
    await t.runDue();
    expect((await call(t, 'get', '/__mock/outbox')).body.entries[0]).toMatchObject({ status: 'failed', error_code: code });
  });

  it('bounce@heymarket-mock.test fails with 550', async () => {
    const t = await startApp();
    const mail = await call(t, 'post', '/v1/email/send', { inbox: 12, creator_id: 1, targets: ['to:bounce@heymarket-mock.test'], text: 'x' });
    expect(mail.status, JSON.stringify(mail.body)).toBe(200);
    await t.runDue();
    expect((await call(t, 'get', '/__mock/outbox')).body.entries[0]).toMatchObject({ status: 'failed', error_code: '550' });
  });

  it('15005550004 is delivered then answers STOP (opted out); 15005550005 answers "Re: <text>"', async () => {
    const t = await startApp();
    await sms(t, '15005550004', 'Deal today');
    await sms(t, '15005550005', 'Ping 1');
    await t.runDue();
    const ev = await events(t, '?order=asc');
    expect(ev.entries.map((e) => [e.type, e.event_data.text ?? e.event_data.phone])).toEqual([
      ['message_recieved', 'STOP'],
      ['target_opt_out', '15005550004'],
      ['message_recieved', 'Re: Ping 1'],
    ]);
    expect(t.sql("SELECT phone, unsubscribed FROM contacts ORDER BY id")).toEqual([
      { phone: '15005550004', unsubscribed: 1 },
      { phone: '15005550005', unsubscribed: 0 },
    ]);
  });

  it('a scheduled send to a magic number takes the same path', async () => {
    const t = await startApp();
    const at = new Date(t.clock.now() + 15 * 60_000).toISOString();
    const s = await call(t, 'post', '/v1/schedule', { inbox_id: 10, execute_at: at, phone_number: '15005550002', content: { text: 'later' } });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    const moved = await call(t, 'post', '/__mock/clock', { advance: '15m' });
    expect(moved.status).toBe(200);
    expect((await call(t, 'get', '/__mock/outbox')).body.entries[0]).toMatchObject({ status: 'failed', error_code: '30003', text: 'later' });
  });
});

describe('events of sends', () => {
  it('API sends fire no message_sent by default; HEYMARKET_MOCK_API_SEND_EVENTS=true makes them fire; notes never do', async () => {
    const quiet = await startApp();
    await sms(quiet, PHONE, 'x');
    expect((await events(quiet)).entries).toEqual([]);
    const loud = await startApp({ apiSendEvents: true });
    await sms(loud, PHONE, 'x');
    await call(loud, 'post', '/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: PHONE, text: 'n', private: true });
    const ev = await events(loud);
    expect(ev.entries.map((e) => e.type)).toEqual(['message_sent']);
    expect(ev.entries[0]!.event_data).toMatchObject({ text: 'x', type: 'outbound' });
  });

  it('POST /__mock/agent/send goes out like a send to the conversation and fires message_sent; the member must be in the inbox', async () => {
    const t = await startApp();
    await inbound(t, { inbox_id: 10, from: PHONE, text: 'question' });
    const res = await call(t, 'post', '/__mock/agent/send', { conversation_id: 1, member_id: 2, text: 'answer' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ type: 'outbound', text: 'answer', user: 2 });
    expect((await call(t, 'get', '/__mock/outbox')).body.entries[0]).toMatchObject({ to: [PHONE], text: 'answer' });
    expect((await events(t)).entries[0]).toMatchObject({ type: 'message_sent', event_data: expect.objectContaining({ text: 'answer' }) });
    await expectRejected(t, async () => call(t, 'post', '/__mock/agent/send', { conversation_id: 1, member_id: 3, text: 'x' }), 403, 'denied', 'member_id');
    await expectRejected(t, async () => call(t, 'post', '/__mock/agent/send', { conversation_id: 9, member_id: 1, text: 'x' }), 404, 'not_found', 'conversation_id');
  });

  it('conversation actions fire chat_* with the Conversation object', async () => {
    const t = await startApp();
    await sms(t, PHONE, 'x');
    const act = (path: string, b: object) => call(t, 'post', `/v1/conversations/${path}`, { inbox_id: 10, user_id: 1, target: PHONE, ...b });
    await act('close', {});
    await act('open', {});
    await act('reassign', { reassign_id: 2 });
    const tr = await call(t, 'post', '/v1/conversations/transfer', { conversation_id: 1, transfer_inbox_id: 11 });
    expect(tr.status, JSON.stringify(tr.body)).toBe(200);
    const ev = await events(t, '?order=asc');
    expect(ev.entries.map((e) => e.type)).toEqual(['chat_closed', 'chat_opened', 'chat_reassigned', 'chat_transferred']);
    expect(ev.entries[3]!.event_data).toEqual((await call(t, 'get', '/v1/conversations/1')).body);
  });
});
