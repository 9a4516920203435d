import type { Pools } from './arbitrary.js';

// Known-good requests of the routes whose rules span fields or rows (a channel value that must
// match its type, an inbox that must exist and be of the right kind, "chat_id or target", a path
// id that must name a row of its kind): a walk of the schema alone almost never meets them, so
// those routes would be fuzzed only at their validation. The fuzzer starts from an example and
// varies it field by field (suite.ts); test/fuzz/examples.test.ts holds every example accepted
// against the fixture as given, so none rots into a refusal.

/** The fixture's rows the examples name (suite.ts `fixture`). */
export interface Known {
  pools: Pools;
  contactUuid: string;
  listId: number;
  scheduleId: number;
  templateId: number;
  conversationId: number;
  messageId: number;
}

export interface Example {
  /** Path parameters by name (the route's `:name`). */
  params?: Record<string, string | number>;
  query?: Record<string, unknown>;
  body?: unknown;
}

const [P0, P1] = ['14155551230', '14155551231'];

/** By `METHOD url` as the app registers it. Inbox 10 is the default team's SMS inbox (members 1, 2), 12 its email inbox (members 1, 3). */
export const EXAMPLES: Record<string, (k: Known) => Example[]> = {
  'POST /v1/message/send': () => [
    { body: { inbox_id: 10, creator_id: 1, phone_number: P0, text: 'hello 🧪 {{first_name}}' } },
    { body: { inbox_id: 10, creator_email: 'alice@example.com', phone_number: '14155550199', text: 'new number', local_id: 'fuzz-1' } },
  ],
  'GET /v1/messages': () => [{ query: { phoneNumber: P0, inboxID: '10' } }],
  'POST /v1/email/send': () => [{ body: { inbox: 12, creator_id: 1, targets: ['to:c0@example.com'], conv_title: 'Hello', text: 'Hi there' } }],
  'POST /v1/schedule': () => [{ body: { inbox_id: 10, execute_at: '2026-03-01T10:00:00Z', phone_number: P1, content: { text: 'later' } } }],
  'PUT /v1/schedule/:id': (k) => [{ params: { id: k.scheduleId }, body: { inbox_id: 10, execute_at: '2026-03-02T10:00:00Z', phone_number: P1, content: { text: 'moved' } } }],
  'POST /v1/conversations/open': () => [{ body: { inbox_id: 10, user_id: 1, target: P0 } }],
  'POST /v1/conversations/close': () => [{ body: { inbox_id: 10, user_id: 1, target: P0 } }],
  'POST /v1/conversations/read': (k) => [{ body: { inbox_id: 10, user_id: 1, chat_id: k.conversationId } }],
  'POST /v1/conversations/unread': () => [{ body: { inbox_id: 10, user_id: 2, target: P0 } }],
  'POST /v1/conversations/reassign': () => [{ body: { inbox_id: 10, user_id: 1, target: P0, reassign_id: 2 } }],
  'POST /v1/conversations/transfer': (k) => [{ body: { conversation_id: k.conversationId, transfer_inbox_id: 11 } }],
  'POST /v2/contact': () => [
    { body: { first: 'Ada', contact_channels: [{ channel_type: 'phone', channel_id: '14155550177' }] } },
    { body: { last: 'Lovelace', contact_channels: [{ channel_type: 'email', channel_id: 'ada@example.org' }] } },
  ],
  'PUT /v2/contact/:contactID': (k) => [{ params: { contactID: k.contactUuid }, body: { first: 'Zoë', contact_channels: [{ channel_type: 'email', channel_id: 'zoe@example.org' }] } }],
  'POST /v2/contacts/search': (k) => [
    { body: { contact_channels: [{ channel_type: 'phone', channel_ids: k.pools.phones }] } },
    { body: { contact_channels: [{ channel_ids: ['c0@example.com', P1] }] } },
  ],
  'POST /v2/contact/:contactID/channel': (k) => [{ params: { contactID: k.contactUuid }, body: { channel_type: 'email', channel_id: 'extra@example.org' } }],
  'PUT /v2/contact/:contactID/channel': (k) => [{ params: { contactID: k.contactUuid }, body: { channel_type: 'phone', channel_id: '14155550166' } }],
  'PUT /v2/lists/:id': (k) => [{ params: { id: k.listId }, body: { title: 'L2', add_phones: ['14155550155'], remove_phones: [P1] } }],
  'PUT /v1/list/:id': (k) => [{ params: { id: k.listId }, body: { title: 'V1 list', add_phones: ['14155550156'] } }],
  'POST /__mock/teams': () => [{ body: {} }, { body: { name: 'Fuzz team', contacts: [{ phone: '14155550144', first: 'Ada' }] } }],
  'POST /__mock/messages/:id/status': (k) => [{ params: { id: k.messageId }, body: { status: 'delivered' } }],
  'POST /__mock/inbound': () => [{ body: { inbox_id: 10, from: P0, text: 'reply 👋' } }, { body: { inbox_id: 12, from: 'c1@example.com', subject: 'Re', text: 'mail' } }],
  'POST /__mock/agent/send': (k) => [{ body: { conversation_id: k.conversationId, member_id: 2, text: 'from the app' } }],
  'POST /__mock/faults': () => [{ body: { path: '/v1/contact/*', method: 'GET', status: 503 } }],
};
