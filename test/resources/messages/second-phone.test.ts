import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { conversationOf, count, expectRejected, N1, N2, N3, send, sendOk, setStatus, sms, SMS_INBOX, start } from './support.js';

// A contact reached on its SECOND phone (contact_channels; its v1 `phone` is the first one): the
// errors name the request's element and the number the send targeted, and a group thread is named
// after the numbers the group holds (issue #7, bug 3).

/** A v2 contact with phones `phones` (the first is its v1 `phone`), no names; answers its id. */
async function twoPhoneContact(t: TestApp, auth: string, phones: string[], names: Record<string, string> = {}): Promise<number> {
  const res = await t.http
    .post('/v2/contact')
    .set('Authorization', auth)
    .send({ ...names, contact_channels: phones.map((p) => ({ channel_type: 'phone', channel_id: p })) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}

const group = (targets: string[]) => ({ inbox_id: SMS_INBOX, creator_id: 1, targets, text: 'hello group' });

describe('sends to a contact’s second phone', () => {
  it('group MMS, blocked: the 400 names that element and quotes the number targeted', async () => {
    const { t, auth } = await start();
    const id = await twoPhoneContact(t, auth, [N1, N2]);
    await setStatus(t, auth, id, 'blocked');
    const res = await expectRejected(t, () => send(t, auth, group([N3, N2])), 400, 'bad_data', 'targets[1]');
    expect(res.body.message).toBe(`targets[1]: contact ${id} (${N2}) is blocked; set status "unblocked" to message it`);
  });

  it('group MMS, opted out: the 400 names that element and quotes the number targeted', async () => {
    const { t, auth } = await start();
    const id = await twoPhoneContact(t, auth, [N1, N2]);
    await setStatus(t, auth, id, 'unsubscribed');
    const res = await expectRejected(t, () => send(t, auth, group([N2, N3])), 400, 'bad_data', 'targets[0]');
    expect(res.body.message).toMatch(new RegExp(`^targets\\[0\\]: contact ${id} \\(${N2}\\) has opted out`));
  });

  it('group MMS: the thread is named after the numbers in the group, and the contact is reused', async () => {
    const { t, auth } = await start();
    await twoPhoneContact(t, auth, [N1, N2]);
    const r = await sendOk(t, auth, group([N3, N2]));
    const conv = t.sql<{ name: string; targets: string }>('SELECT name, targets FROM conversations WHERE id = ?', conversationOf(t, r.id))[0]!;
    expect(JSON.parse(conv.targets)).toEqual([N2, N3]);
    expect(conv.name).toBe(`${N2}, ${N3}`);
    // N2 is the existing contact's; only N3 is new.
    expect(count(t, 'contacts')).toBe(2);
  });

  it('group MMS: a named contact is named by its display name, whichever of its numbers is in the group', async () => {
    const { t, auth } = await start();
    await twoPhoneContact(t, auth, [N1, N2], { first: 'Ada', last: 'L' });
    const r = await sendOk(t, auth, group([N3, N2]));
    expect(t.sql<{ name: string }>('SELECT name FROM conversations WHERE id = ?', conversationOf(t, r.id))[0]!.name).toBe(`Ada L, ${N3}`);
  });

  it('phone_number, blocked: the 400 quotes the number targeted', async () => {
    const { t, auth } = await start();
    const id = await twoPhoneContact(t, auth, [N1, N2]);
    await setStatus(t, auth, id, 'blocked');
    const res = await expectRejected(t, () => send(t, auth, sms(N2)), 400, 'bad_data', 'phone_number');
    expect(res.body.message).toContain(`contact ${id} (${N2}) is blocked`);
  });

  it('chat_id into a group thread whose member opted out since: the 400 quotes the group’s number', async () => {
    const { t, auth } = await start();
    const id = await twoPhoneContact(t, auth, [N1, N2]);
    const first = await sendOk(t, auth, group([N2, N3]));
    await setStatus(t, auth, id, 'unsubscribed');
    const res = await expectRejected(t, () => send(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, chat_id: conversationOf(t, first.id), text: 'x' }), 400, 'bad_data', 'chat_id');
    expect(res.body.message).toContain(`contact ${id} (${N2}) has opted out`);
  });
});
