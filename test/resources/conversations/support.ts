import { twoTeamSeed } from '../../db/fixtures.js';
import { insertConversation, type ConversationInsert, type ConversationRow } from '../../../src/resources/conversations/store.js';
import * as api from '../../support/api.js';
import { apiFor, TEAM2_AUTH } from '../../support/api.js';
import { expectRejected, type TestApp } from '../../support/app.js';

// Shared helpers of the conversation suites (not a test file: vitest only collects *.test.ts).
// Until message send creates conversations, they are inserted straight through the store.

export { TEAM2_AUTH };

/** An app with team 1's JWT header ready; `twoTeams` adds team 2 (test/db/fixtures.ts). */
export const start = (opts: { twoTeams?: boolean } = {}) => api.start(opts.twoTeams ? { seed: twoTeamSeed() } : {});

export const iso = (ms: number) => new Date(ms).toISOString();

type Extra = Partial<Omit<ConversationInsert, 'channel' | 'target' | 'targets' | 'created' | 'updated'>>;

function insert(t: TestApp, teamId: number, values: Omit<ConversationInsert, 'op' | 'created' | 'updated'> & { op?: string }): ConversationRow {
  const now = t.clock.now();
  return insertConversation(t.app.mock.db, teamId, { op: 'create', created: now, updated: now, ...values });
}

/** A contact by phone through POST /v1/contact (team 1 unless `authHeader` says otherwise). */
export const createContact = async (t: TestApp, authHeader: string, phone: string, body: Record<string, unknown> = {}): Promise<number> =>
  (await api.createContact(apiFor(t, authHeader), { phone, ...body })).id;

/** An individual SMS conversation with a new contact of that phone, in inbox 10 unless told. */
export async function smsConversation(t: TestApp, authHeader: string, phone: string, extra: Extra = {}, teamId = 1): Promise<ConversationRow> {
  const contactId = await createContact(t, authHeader, phone);
  return insert(t, teamId, { inboxId: 10, contactId, channel: 'sms', target: phone, targets: [phone], ...extra });
}

/** An SMS conversation for a contact that already exists (e.g. the same contact in another inbox). */
export function smsConversationFor(t: TestApp, contactId: number, phone: string, extra: Extra = {}): ConversationRow {
  return insert(t, 1, { inboxId: 10, contactId, channel: 'sms', target: phone, targets: [phone], ...extra });
}

/** A group MMS conversation: targets sorted, target = the numbers joined with commas. */
export function groupConversation(t: TestApp, numbers: string[], extra: Extra = {}): ConversationRow {
  const targets = [...numbers].sort();
  return insert(t, 1, { inboxId: 10, contactId: null, channel: 'mms', target: targets.join(','), targets, ...extra });
}

/** An email conversation in inbox 12: target = the first address. */
export function emailConversation(t: TestApp, addresses: string[], extra: Extra = {}): ConversationRow {
  return insert(t, 1, { inboxId: 12, contactId: null, channel: 'email', target: addresses[0]!, targets: addresses, ...extra });
}

export function rowOf(t: TestApp, id: number) {
  return t.sql<Record<string, unknown>>('SELECT * FROM conversations WHERE id = ?', id)[0]!;
}

const MEMBERS: Record<number, Array<{ id: number; name: string }>> = {
  10: [{ id: 1, name: 'Alice Admin' }, { id: 2, name: 'Bob Member' }],
  11: [{ id: 1, name: 'Alice Admin' }, { id: 2, name: 'Bob Member' }],
  12: [{ id: 1, name: 'Alice Admin' }, { id: 3, name: 'Carol Email' }],
};

/** The Conversation object the API must answer for a row of team 1 (generated shape, gap V1). */
export function conversationJson(row: ConversationRow, over: Record<string, unknown> = {}) {
  return {
    id: row.id,
    assigned: row.assignedId ?? 0,
    blocked: false,
    channel: row.channel,
    created: iso(row.created),
    creator: row.creatorId ?? 0,
    email_noti: false,
    inbox: row.inboxId,
    last_inbound: 0,
    local_id: '',
    members: MEMBERS[row.inboxId],
    muted: false,
    name: row.name,
    noreply: '',
    op: row.op,
    read: row.read ? 1 : 0,
    replied: row.replied,
    snooze_till: '0001-01-01T00:00:00Z',
    status: row.status,
    super: 0,
    support: false,
    target: row.target,
    targets: row.targets,
    type: row.channel === 'sms' ? 'individual' : row.channel === 'mms' ? 'group' : 'email',
    updated: iso(row.updated),
    ...over,
  };
}

/**
 * `n` SMS conversations with phones 1415555{1000+i}, oldest first. The clock moves 1 ms between
 * them, so each has its own time (T0 + i), unless `tied`: then all share the clock's current time.
 */
export async function manySms(t: TestApp, authHeader: string, n: number, extra: (i: number) => Extra = () => ({}), tied = false): Promise<ConversationRow[]> {
  const rows: ConversationRow[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && !tied) t.clock.advance(1);
    rows.push(await smsConversation(t, authHeader, `1415555${1000 + i}`, extra(i)));
  }
  return rows;
}

export { expectRejected };
