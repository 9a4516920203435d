import { describe, expect, it } from 'vitest';
import {
  conversationOf, count, createContact, createField, createTemplate, delivered, getConversation, history, iso, messageRow,
  N1, N2, send, sendOk, sms, SMS_INBOX, SMS_PHONE, start, T0, TOLL_FREE_INBOX, TOLL_FREE_PHONE,
} from './support.js';

const MEMBERS_10 = [{ id: 1, name: 'Alice Admin' }, { id: 2, name: 'Bob Member' }];

describe('POST /v1/message/send: individual SMS/MMS (phone_number, chat_id)', () => {
  it('sends to a new number end to end: contact and conversation created, {id,date,gallery_url}, history, outbox', async () => {
    const { t, auth } = await start();
    const res = await send(t, auth, sms(N1, { text: 'My first api message' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    // Exactly the documented response, nothing else (not the 3p {convo_id, queued, compliance_results} mix-up).
    expect(res.body).toEqual({ id: expect.any(Number), date: iso(T0), gallery_url: '' });
    expect(Object.keys(res.body).sort()).toEqual(['date', 'gallery_url', 'id']);

    // Gap M7: the contact is created (phone only) with a phone channel.
    const contacts = t.sql<{ id: number; phone: string; first: string; last: string }>('SELECT id, phone, first, last FROM contacts');
    expect(contacts).toEqual([{ id: expect.any(Number), phone: N1, first: '', last: '' }]);
    expect(t.sql('SELECT channel_type, channel_id FROM contact_channels WHERE contact_id = ?', contacts[0]!.id)).toEqual([{ channel_type: 'phone', channel_id: N1 }]);

    // The conversation: individual SMS in inbox 10, auto-assigned to the sender (inbox 10 is auto-assignable).
    const convId = conversationOf(t, res.body.id);
    expect(count(t, 'conversations')).toBe(1);
    const conv = await getConversation(t, auth, convId);
    expect(conv).toEqual({
      id: convId, assigned: 1, blocked: false, channel: 'sms', created: iso(T0), creator: 1, email_noti: false,
      inbox: SMS_INBOX, last_inbound: 0, local_id: '', members: MEMBERS_10, muted: false, name: '', noreply: '',
      op: 'create', read: 1, replied: false, snooze_till: '0001-01-01T00:00:00Z', status: 'open', super: 0, support: false,
      target: N1, targets: [N1], type: 'individual', updated: iso(T0),
    });

    // History of that number in inbox 10: the one message, with the conversation embedded.
    const msgs = await history(t, auth, N1, SMS_INBOX);
    expect(msgs).toEqual([
      {
        id: res.body.id, author: '', broadcast_id: 0, conversation: conv, custom: { data: [], type: '' },
        date: iso(T0), flagged: false, link_url: '', local_id: '', media: '', phone: N1, status: 'sent',
        super: 0, support: false, target: N1, text: 'My first api message', type: 'outbound', updated: iso(T0), user: 1,
      },
    ]);

    // The outbox: exactly what the recipient got, from the inbox's number.
    expect(delivered(t)).toEqual([
      { message_id: res.body.id, channel: 'sms', from: SMS_PHONE, to: [N1], cc: [], subject: '', text: 'My first api message', media_url: '' },
    ]);
  });

  it('a second send to the same number reuses the contact and the conversation', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1, { text: 'one' }));
    t.clock.advance(1_000);
    const b = await sendOk(t, auth, sms(N1, { text: 'two' }));
    expect(b.id).toBeGreaterThan(a.id);
    expect([a.date, b.date]).toEqual([iso(T0), iso(T0 + 1_000)]);
    expect(count(t, 'contacts')).toBe(1);
    expect(count(t, 'conversations')).toBe(1);
    expect(conversationOf(t, b.id)).toBe(conversationOf(t, a.id));
    expect((await history(t, auth, N1, SMS_INBOX)).map((m) => m.text)).toEqual(['two', 'one']);
    expect(delivered(t).map((d) => [d.to, d.text])).toEqual([[[N1], 'one'], [[N1], 'two']]);
    const conv = await getConversation(t, auth, conversationOf(t, a.id));
    expect(conv.updated).toBe(b.date);
  });

  it('messages an existing contact without creating another, and the conversation carries its name', async () => {
    const { t, auth } = await start();
    const id = await createContact(t, auth, { phone: N1, first: 'Ada', last: 'Lovelace' });
    const r = await sendOk(t, auth, sms(N1));
    expect(t.sql('SELECT id FROM contacts')).toEqual([{ id }]);
    expect(t.sql('SELECT contact_id FROM conversations')).toEqual([{ contact_id: id }]);
    const conv = await getConversation(t, auth, conversationOf(t, r.id));
    expect(conv.name).toBe('Ada Lovelace');
    expect(conv.target).toBe(N1);
  });

  it('the same number in two inboxes makes two conversations, each delivered from its own number', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1, { text: 'from 10' }));
    const b = await sendOk(t, auth, { ...sms(N1, { text: 'from 11' }), inbox_id: TOLL_FREE_INBOX });
    expect(count(t, 'contacts')).toBe(1);
    expect(conversationOf(t, a.id)).not.toBe(conversationOf(t, b.id));
    const conv11 = await getConversation(t, auth, conversationOf(t, b.id));
    expect(conv11).toMatchObject({ inbox: TOLL_FREE_INBOX, target: N1, assigned: 0, channel: 'sms' }); // inbox 11 is not auto-assignable
    expect(delivered(t).map((d) => [d.from, d.text])).toEqual([[SMS_PHONE, 'from 10'], [TOLL_FREE_PHONE, 'from 11']]);
    expect((await history(t, auth, N1, SMS_INBOX)).map((m) => m.text)).toEqual(['from 10']);
    expect((await history(t, auth, N1, TOLL_FREE_INBOX)).map((m) => m.text)).toEqual(['from 11']);
  });

  it('chat_id sends into an existing conversation, delivered to its number', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1, { text: 'start' }));
    const convId = conversationOf(t, first.id);
    const r = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 2, chat_id: convId, text: 'follow-up' });
    expect(conversationOf(t, r.id)).toBe(convId);
    expect(count(t, 'conversations')).toBe(1);
    expect(delivered(t).at(-1)).toEqual({ message_id: r.id, channel: 'sms', from: SMS_PHONE, to: [N1], cc: [], subject: '', text: 'follow-up', media_url: '' });
    const [latest] = await history(t, auth, N1, SMS_INBOX);
    expect(latest).toMatchObject({ id: r.id, user: 2, text: 'follow-up', type: 'outbound', phone: N1, target: N1 });
  });

  it('media_url makes the message MMS: gallery_url is the media URL, media on the message, media in the outbox (gap M5)', async () => {
    const { t, auth } = await start();
    const url = 'https://cdn.example.com/pics/cat.jpg';
    const r = await sendOk(t, auth, sms(N1, { text: 'Look', media_url: url }));
    expect(r).toEqual({ id: expect.any(Number), date: iso(T0), gallery_url: url });
    expect(messageRow(t, r.id)).toMatchObject({ channel: 'mms', media_url: url, text: 'Look' });
    expect(delivered(t)).toEqual([{ message_id: r.id, channel: 'mms', from: SMS_PHONE, to: [N1], cc: [], subject: '', text: 'Look', media_url: url }]);
    const [m] = await history(t, auth, N1, SMS_INBOX);
    expect(m).toMatchObject({ media: url, text: 'Look' });

    // media alone is content enough; plain http is accepted too.
    const alone = await sendOk(t, auth, sms(N2, { text: undefined, media_url: 'http://cdn.example.com/a.png' }));
    expect(alone.gallery_url).toBe('http://cdn.example.com/a.png');
    expect(delivered(t).at(-1)).toMatchObject({ channel: 'mms', text: '', media_url: 'http://cdn.example.com/a.png', to: [N2] });
  });

  it('without media the message is plain SMS and gallery_url is the empty string', async () => {
    const { t, auth } = await start();
    const r = await sendOk(t, auth, sms(N1));
    expect(r.gallery_url).toBe('');
    expect(messageRow(t, r.id)).toMatchObject({ channel: 'sms', media_url: '', gallery_url: '' });
  });

  it('renders merge tokens from the contact: first/last name, custom fields by title (case-insensitive, spaces as underscores), unknown → "" (T2, T3)', async () => {
    const { t, auth } = await start();
    const plan = await createField(t, auth, 'Plan Tier');
    const city = await createField(t, auth, 'City');
    await createContact(t, auth, { phone: N1, first: 'Ada', last: 'Lovelace', custom: { [plan]: 'Gold', [city]: 'London' } });
    const text = 'Hi {{first_name}} {{last_name}}! Plan: {{plan_tier}}/{{Plan_Tier}}/{{ PLAN_TIER }}, {{city}}. {{nickname}}.';
    const r = await sendOk(t, auth, sms(N1, { text }));
    const rendered = 'Hi Ada Lovelace! Plan: Gold/Gold/Gold, London. .';
    expect(delivered(t)).toEqual([{ message_id: r.id, channel: 'sms', from: SMS_PHONE, to: [N1], cc: [], subject: '', text: rendered, media_url: '' }]);
    expect((await history(t, auth, N1, SMS_INBOX))[0]!.text).toBe(rendered);
  });

  it('a contact without the values renders the tokens as empty strings', async () => {
    const { t, auth } = await start();
    await createField(t, auth, 'Plan Tier');
    const r = await sendOk(t, auth, sms(N1, { text: '[{{first_name}}|{{last_name}}|{{plan_tier}}]' }));
    expect(delivered(t)[0]).toMatchObject({ message_id: r.id, text: '[||]' });
  });

  it('template_id: the template text is the body, its tokens rendered for the recipient', async () => {
    const { t, auth } = await start();
    const plan = await createField(t, auth, 'Plan Tier');
    await createContact(t, auth, { phone: N1, first: 'Ada', custom: { [plan]: 'Gold' } });
    const tpl = await createTemplate(t, auth, { text: 'Dear {{first_name}}, your {{Plan Tier}} renewal is due.' });
    const r = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, phone_number: N1, template_id: tpl });
    expect(r.gallery_url).toBe('');
    expect(delivered(t)[0]).toMatchObject({ message_id: r.id, channel: 'sms', to: [N1], text: 'Dear Ada, your Gold renewal is due.' });
    expect(messageRow(t, r.id)).toMatchObject({ template_id: tpl, text: 'Dear Ada, your Gold renewal is due.' });
  });

  it('template_id with media_url beside it sends MMS with that media', async () => {
    const { t, auth } = await start();
    const tpl = await createTemplate(t, auth, { text: 'See attached' });
    const url = 'https://cdn.example.com/flyer.png';
    const r = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, phone_number: N1, template_id: tpl, media_url: url });
    expect(r.gallery_url).toBe(url);
    expect(delivered(t)[0]).toMatchObject({ channel: 'mms', text: 'See attached', media_url: url });
  });

  it('survey_id: the survey opening question is delivered as the text; custom names the survey', async () => {
    const { t, auth } = await start();
    const r = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, phone_number: N1, survey_id: 10 });
    const question = 'How likely are you to recommend us to a friend? Reply with a number from 0 to 10.';
    expect(delivered(t)).toEqual([{ message_id: r.id, channel: 'sms', from: SMS_PHONE, to: [N1], cc: [], subject: '', text: question, media_url: '' }]);
    const [m] = await history(t, auth, N1, SMS_INBOX);
    expect(m).toMatchObject({ id: r.id, text: question, custom: { data: [10], type: 'survey' } });
  });

  it('author and local_id given on the send show on the stored message', async () => {
    const { t, auth } = await start();
    const r = await sendOk(t, auth, sms(N1, { author: 'Front desk', local_id: '6d8d0429-3f15-4293-8d0b-38bf1dd5ca06' }));
    const [m] = await history(t, auth, N1, SMS_INBOX);
    expect(m).toMatchObject({ id: r.id, author: 'Front desk', local_id: '6d8d0429-3f15-4293-8d0b-38bf1dd5ca06' });
  });

  it('a send into a closed conversation reopens it', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1));
    const convId = conversationOf(t, first.id);
    const close = await t.http.post('/v1/conversations/close').set('Authorization', auth).send({ inbox_id: SMS_INBOX, user_id: 1, chat_id: convId });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    expect((await getConversation(t, auth, convId)).status).toBe('closed');
    await sendOk(t, auth, sms(N1, { text: 'again' }));
    expect((await getConversation(t, auth, convId)).status).toBe('open');
  });

  it("a send to a contact's second number threads on that number (message phone/target = the number delivered to)", async () => {
    const { t, auth } = await start();
    const v2 = await t.http.post('/v2/contact').set('Authorization', auth).send({
      first: 'Two', contact_channels: [{ channel_type: 'phone', channel_id: N1 }, { channel_type: 'phone', channel_id: N2 }],
    });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    const r = await sendOk(t, auth, sms(N2, { text: 'to the second number' }));
    expect(count(t, 'contacts')).toBe(1);
    expect(delivered(t)[0]!.to).toEqual([N2]);
    const row = messageRow(t, r.id);
    const conv = await getConversation(t, auth, row.conversation_id as number);
    expect(conv.target).toBe(N2);
    expect(row.target).toBe(N2);
    const [m] = await history(t, auth, N2, SMS_INBOX);
    expect(m).toMatchObject({ id: r.id, phone: N2, target: N2 });
  });
});
