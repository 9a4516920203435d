import { expect } from 'vitest';
import { team2, TEAM2, writeSeed } from '../../db/fixtures.js';
import { expectRejected, startApp, T0, type TestApp } from '../../support/app.js';

// Shared helpers of the list suites (not a test file: vitest only collects *.test.ts).

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const LOCAL = 'dc3deb9b-940a-444d-9d0e-8e3087a160e9';
export const AUTH2 = `Bearer ${TEAM2.apiKey}`;

/**
 * RFC 3339 of T0 + ms. Writes keep true times: everything written on the frozen clock is `at()`
 * (T0); a write after the test moved the clock by ms is `at(ms)`.
 */
export const at = (ms = 0) => new Date(T0 + ms).toISOString();

/** Numbers no contact has. */
export const FREE1 = '14155559901';
export const FREE2 = '14155559902';
export const FREE3 = '14155559903';

export async function start(config: Parameters<typeof startApp>[0] = {}) {
  const t = await startApp(config);
  return { t, auth: await t.auth() };
}

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
export async function contact(t: TestApp, auth: string, body: Record<string, unknown>): Promise<number> {
  const res = await t.http.post('/v1/contact').set('Authorization', auth).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}

/** A v2 contact with only an email channel; answers its v1 id. */
export async function emailOnlyContact(t: TestApp, auth: string, email: string, first = ''): Promise<number> {
  const res = await t.http.post('/v2/contact').set('Authorization', auth).send({ first, contact_channels: [{ channel_type: 'email', channel_id: email }] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}

export async function createList(t: TestApp, auth: string, body: Record<string, unknown>): Promise<{ id: number; rev: number; uuid: string }> {
  const res = await t.http.post('/v2/lists').set('Authorization', auth).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function getList(t: TestApp, auth: string, id: number) {
  const res = await t.http.get(`/v1/list/${id}`).set('Authorization', auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function updateList(t: TestApp, auth: string, id: number, body: Record<string, unknown>, path = '/v2/lists') {
  const res = await t.http.put(`${path}/${id}`).set('Authorization', auth).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: number; rev: number };
}

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

export { expectRejected };
