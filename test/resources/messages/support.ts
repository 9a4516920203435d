import { MAX_PHONES } from '../../../src/resources/lists/schemas.js';
import { team2, writeSeed } from '../../db/fixtures.js';
import * as api from '../../support/api.js';
import { apiFor, ok, start, TEAM2_AUTH } from '../../support/api.js';
import { expectRejected, T0, type TestApp } from '../../support/app.js';

// Shared helpers of the message and email suites (not a test file: vitest only collects *.test.ts).
// Everything goes through the HTTP API; the store is only read (t.sql) to assert what was written.

export const AUTH2 = TEAM2_AUTH;

/** The RFC 3339 form of an epoch-ms instant. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** Numbers no seeded contact has (valid US numbers). */
export const N1 = '14155551001';
export const N2 = '14155551002';
export const N3 = '14155551003';
export const N4 = '14155551004';
/** The n-th free number, 1415555{2000+i}. */
export const num = (i: number) => `1415555${2000 + i}`;

/** Inboxes of the default team (src/db/seed.ts). */
export const SMS_INBOX = 10;
export const SMS_PHONE = '14155550100';
export const TOLL_FREE_INBOX = 11;
export const TOLL_FREE_PHONE = '18885550100';
export const EMAIL_INBOX = 12;
export const EMAIL_ADDRESS = 'support@example.com';

export { start };

/**
 * Team 1 plus team 2 (reached with AUTH2): team 2 has its SMS inbox 20 (members 21, 22), two email
 * inboxes 25 and 26 (member 21) and survey 20.
 */
export async function startTwo() {
  const seed = writeSeed({
    teams: [
      team2({
        inboxes: [
          { id: 20, name: 'Team Two SMS', phone: '14155550200', phones: ['14155550200', '14155550209'], members: [22, 21] },
          { id: 25, name: 'Team Two Email A', type: 'email', email: 'a@two.example', members: [21] },
          { id: 26, name: 'Team Two Email B', type: 'email', email: 'b@two.example', members: [21] },
        ],
        surveys: [{ id: 20, name: 'Team two NPS', type: 'nps', question: 'Team two: how did we do?' }],
      }),
    ],
  });
  return start({ seed });
}

export const send = (t: TestApp, auth: string, body: Record<string, unknown>) => apiFor(t, auth).post('/v1/message/send', body);

/** A send that must succeed; answers the response body. */
export const sendOk = (t: TestApp, auth: string, body: Record<string, unknown>) => ok<{ id: number; date: string; gallery_url: string }>(send(t, auth, body));

/** An SMS from inbox 10 by member 1 to `phone`. */
export const sms = (phone: string, extra: Record<string, unknown> = {}) => ({ inbox_id: SMS_INBOX, creator_id: 1, phone_number: phone, text: 'Hello', ...extra });

export const sendEmail = (t: TestApp, auth: string, body: Record<string, unknown>) => apiFor(t, auth).post('/v1/email/send', body);

export const sendEmailOk = (t: TestApp, auth: string, body: Record<string, unknown>) =>
  ok<{ id: number; convo_id: number; queued: boolean; date: string; compliance_results: Record<string, unknown> }>(sendEmail(t, auth, body));

/** An email from inbox 12 by member 1. */
export const email = (extra: Record<string, unknown>) => ({ inbox: EMAIL_INBOX, creator_id: 1, text: '<p>Hi</p>', ...extra });

/** Every table a send may write, read straight from the store. */
export function snapshot(t: TestApp) {
  return {
    messages: t.sql('SELECT * FROM messages ORDER BY id'),
    conversations: t.sql('SELECT * FROM conversations ORDER BY id'),
    contacts: t.sql('SELECT * FROM contacts ORDER BY id'),
    contact_channels: t.sql('SELECT * FROM contact_channels ORDER BY id'),
    outbox: t.sql('SELECT * FROM outbox ORDER BY id'),
    send_keys: t.sql('SELECT * FROM send_keys ORDER BY team_id, scope, local_id'),
    broadcasts: t.sql('SELECT * FROM broadcasts ORDER BY id'),
  };
}

export interface OutboxEntry {
  id: number;
  team_id: number;
  message_id: number;
  channel: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  media_url: string;
  created: number;
}

/** The outbox (what each recipient would have received), JSON columns parsed. */
export function outbox(t: TestApp): OutboxEntry[] {
  return t
    .sql<Record<string, unknown>>('SELECT * FROM outbox ORDER BY id')
    .map((r) => ({ ...r, to: JSON.parse(r.to as string), cc: JSON.parse(r.cc as string) }) as OutboxEntry);
}

/** What a recipient got, without row bookkeeping. */
export const delivered = (t: TestApp) => outbox(t).map(({ message_id, channel, from, to, cc, subject, text, media_url }) => ({ message_id, channel, from, to, cc, subject, text, media_url }));

export const count = (t: TestApp, table: string) => t.sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;

export function messageRow(t: TestApp, id: number) {
  return t.sql<Record<string, unknown>>('SELECT * FROM messages WHERE id = ?', id)[0]!;
}

// The suites' (t, auth, ...) form of the shared client helpers (test/support/api.ts).
export const createField = (t: TestApp, auth: string, title: string) => api.createField(apiFor(t, auth), title);

/** A v1 contact; answers its id. */
export const createContact = async (t: TestApp, auth: string, body: Record<string, unknown>): Promise<number> => (await api.createContact(apiFor(t, auth), body)).id;

export const setStatus = (t: TestApp, auth: string, id: number, status: 'blocked' | 'unblocked' | 'subscribed' | 'unsubscribed' | 'active') => api.setStatus(apiFor(t, auth), { id, status });

/** A v2 list; more phones than one request may carry (MAX_PHONES) are added by further updates. */
export async function createList(t: TestApp, auth: string, body: Record<string, unknown>): Promise<number> {
  const phones = Array.isArray(body.phones) ? (body.phones as string[]) : undefined;
  const STEP = MAX_PHONES;
  const first = phones ? { ...body, phones: phones.slice(0, STEP) } : body;
  const { id } = await ok<{ id: number }>(apiFor(t, auth).post('/v2/lists', { title: 'List', local_id: `list-${Math.random()}`, ...first }));
  for (let i = STEP; phones && i < phones.length; i += STEP) await ok(apiFor(t, auth).put(`/v2/lists/${id}`, { add_phones: phones.slice(i, i + STEP) }));
  return id;
}

export const createTemplate = (t: TestApp, auth: string, content: { text: string; gallery?: Array<{ url: string }> }) => api.createTemplate(apiFor(t, auth), { title: 'Template', content });

export const getConversation = (t: TestApp, auth: string, id: number) => ok(apiFor(t, auth).get(`/v1/conversations/${id}`));

export function history(t: TestApp, auth: string, phoneNumber: string, inboxID: number, timestamp?: number) {
  const q: Record<string, string> = { phoneNumber, inboxID: String(inboxID) };
  if (timestamp !== undefined) q.timestamp = String(timestamp);
  return api.history(apiFor(t, auth), q);
}

/** The conversation id a stored message belongs to. */
export const conversationOf = (t: TestApp, messageId: number) => messageRow(t, messageId).conversation_id as number;

export { T0 };

export { expectRejected };
