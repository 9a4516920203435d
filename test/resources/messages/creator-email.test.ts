import { describe, expect, it } from 'vitest';
import { expectRejected, messageRow, N1, send, sendOk, sms, start } from './support.js';

// Issue #8.3: real client code names the sending member by email. Default seed: 1 Alice
// (alice@example.com) and 2 Bob (bob@example.com) are in SMS inbox 10; 3 Carol (carol@example.com)
// is in the email inbox only.

const byEmail = (email: string, extra: Record<string, unknown> = {}) => {
  const { creator_id: _, ...rest } = sms(N1, extra);
  return { ...rest, creator_email: email };
};

describe('POST /v1/message/send with creator_email', () => {
  it('sends as the member with that email, compared case-insensitively', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, byEmail('bob@example.com'));
    expect(messageRow(t, first.id).user_id).toBe(2);
    const second = await sendOk(t, auth, byEmail('ALICE@Example.COM', { text: 'again' }));
    expect(messageRow(t, second.id).user_id).toBe(1);
  });

  it('an email no member has → 400 naming creator_email, nothing stored', async () => {
    const { t, auth } = await start();
    const res = await expectRejected(t, () => send(t, auth, byEmail('nobody@example.com')), 400, 'bad_data', 'creator_email');
    expect(res.body).toMatchObject({ error_code: 'unknown_member_email' });
    expect(res.body.message).toContain('nobody@example.com');
  });

  it('a malformed creator_email → 400 naming it', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, byEmail('not-an-email')), 400, 'bad_data', 'creator_email');
  });

  it('creator_id wins when both are given (the email is not even looked up)', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1, { creator_id: 2, creator_email: 'alice@example.com' }));
    expect(messageRow(t, a.id).user_id).toBe(2);
    const b = await sendOk(t, auth, sms(N1, { creator_id: 1, creator_email: 'nobody@example.com', text: 'b' }));
    expect(messageRow(t, b.id).user_id).toBe(1);
  });

  it('the member found must still be in the inbox (403 naming creator_id)', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, byEmail('carol@example.com')), 403, 'denied', 'creator_id');
  });

  it('neither creator_id nor creator_email → 400 naming creator_id', async () => {
    const { t, auth } = await start();
    const res = await expectRejected(t, () => send(t, auth, sms(N1, { creator_id: undefined })), 400, 'bad_data', 'creator_id');
    expect(res.body).toMatchObject({ error_code: 'required_field' });
    expect(res.body.message).toMatch(/creator_email/);
  });
});
