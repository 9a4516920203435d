import { team2, writeSeed } from '../../db/fixtures.js';
import * as api from '../../support/api.js';
import { apiFor, ok, start, TEAM2_AUTH } from '../../support/api.js';
import { expectRejected, T0, type TestApp } from '../../support/app.js';

// Shared helpers of the list suites (not a test file: vitest only collects *.test.ts).

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const LOCAL = 'dc3deb9b-940a-444d-9d0e-8e3087a160e9';
export const AUTH2 = TEAM2_AUTH;

/**
 * RFC 3339 of T0 + ms. Writes keep true times: everything written on the frozen clock is `at()`
 * (T0); a write after the test moved the clock by ms is `at(ms)`.
 */
export const at = (ms = 0) => new Date(T0 + ms).toISOString();

/** Numbers no contact has. */
export const FREE1 = '14155559901';
export const FREE2 = '14155559902';
export const FREE3 = '14155559903';

export { start };

/** Team 1 plus team 2 (team 2 reached with its API key); team 2's list_size can be set. */
export async function startTwo(team2Overrides: Record<string, unknown> = {}) {
  return start({ seed: writeSeed({ teams: [team2(team2Overrides)] }) });
}

/** Every table a list write may touch, read straight from the store. */
export function snapshot(t: TestApp) {
  return {
    lists: t.sql('SELECT * FROM lists ORDER BY id'),
    list_members: t.sql('SELECT * FROM list_members ORDER BY id'),
    contacts: t.sql('SELECT * FROM contacts ORDER BY id'),
    contact_channels: t.sql('SELECT * FROM contact_channels ORDER BY id'),
  };
}

/** A v1 contact (phone required); answers its id. */
export const contact = async (t: TestApp, auth: string, body: Record<string, unknown>): Promise<number> => (await api.createContact(apiFor(t, auth), body)).id;

/** A v2 contact with only an email channel; answers its v1 id. */
export const emailOnlyContact = async (t: TestApp, auth: string, email: string, first = ''): Promise<number> =>
  (await ok(apiFor(t, auth).post('/v2/contact', { first, contact_channels: [{ channel_type: 'email', channel_id: email }] }))).id;

export const createList = (t: TestApp, auth: string, body: Record<string, unknown>) => ok<{ id: number; rev: number; uuid: string }>(apiFor(t, auth).post('/v2/lists', body));

export const getList = (t: TestApp, auth: string, id: number) => ok(apiFor(t, auth).get(`/v1/list/${id}`));

export const updateList = (t: TestApp, auth: string, id: number, body: Record<string, unknown>, path = '/v2/lists') =>
  ok<{ id: number; rev: number }>(apiFor(t, auth).put(`${path}/${id}`, body));

/** The entries of a list as stored, reduced to what identifies them. */
export function entries(t: TestApp, listId: number) {
  return t.sql<{ id: number; contact_id: number | null; phone: string | null; email: string | null }>(
    'SELECT id, contact_id, phone, email FROM list_members WHERE list_id = ? ORDER BY id',
    listId,
  );
}

/** The same, without row ids: who is on the list, in order. */
export function members(t: TestApp, listId: number) {
  return entries(t, listId).map((e) => (e.contact_id !== null ? { contact: e.contact_id } : e.phone !== null ? { phone: e.phone } : { email: e.email }));
}

/** Who is on the list by number: each entry's contact's phone (or a lightweight entry's own). */
export function memberPhones(t: TestApp, listId: number) {
  return t
    .sql<{ phone: string | null }>(
      'SELECT coalesce(c.phone, m.phone) AS phone FROM list_members m LEFT JOIN contacts c ON c.id = m.contact_id WHERE m.list_id = ? ORDER BY m.id',
      listId,
    )
    .map((r) => r.phone);
}

/** A list entry as a list written before issue #8.4 could hold it: a lightweight target with no contact. */
export function insertLightweightEntry(t: TestApp, listId: number, e: { phone?: string; email?: string; first?: string; last?: string }) {
  t.app.mock.db.$client
    .prepare('INSERT INTO list_members (team_id, list_id, contact_id, phone, email, first, last) SELECT team_id, id, NULL, ?, ?, ?, ? FROM lists WHERE id = ?')
    .run(e.phone ?? null, e.email ?? null, e.first ?? '', e.last ?? '', listId);
}

export { expectRejected };
