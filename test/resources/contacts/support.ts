import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEAM2 as SHARED_TEAM2, team2, writeSeed } from '../../db/fixtures.js';
import * as api from '../../support/api.js';
import { apiFor, ok, start } from '../../support/api.js';
import { expectRejected, T0, type TestApp } from '../../support/app.js';

// Shared helpers of the v1 contact suites (not a test file: vitest only collects *.test.ts).

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * RFC 3339 of T0 + ms. Writes keep true times: everything written on the frozen clock is `at()`
 * (T0); a write after the test moved the clock by ms is `at(ms)`.
 */
export const at = (ms = 0) => new Date(T0 + ms).toISOString();

/** Every table a contact write may touch, read straight from the store. */
export function snapshot(t: TestApp) {
  return {
    contacts: t.sql('SELECT * FROM contacts ORDER BY id'),
    contact_tags: t.sql('SELECT * FROM contact_tags ORDER BY contact_id, position'),
    contact_channels: t.sql('SELECT * FROM contact_channels ORDER BY id'),
    contact_fields: t.sql('SELECT * FROM contact_fields ORDER BY id'),
    tags: t.sql('SELECT * FROM tags ORDER BY id'),
  };
}

/** The channel rows of one contact, reduced to what the v1 surface mirrors. */
export function channelsOf(t: TestApp, contactId: number) {
  return t.sql<{ channel_type: string; channel_id: string }>(
    'SELECT team_id, channel_type, channel_id FROM contact_channels WHERE contact_id = ? ORDER BY id',
    contactId,
  );
}

/** An app with team 1's JWT header ready (test/support/api.ts). */
export { start };

// The suites' (t, auth, ...) form of the shared client helpers.
export const createField = (t: TestApp, auth: string, title: string) => api.createField(apiFor(t, auth), title);
export const createContact = (t: TestApp, auth: string, body: Record<string, unknown>) => api.createContact(apiFor(t, auth), body);

export const createTag = async (t: TestApp, auth: string, tag: string, color?: string): Promise<number> =>
  (await ok(apiFor(t, auth).post('/v1/tag', color ? { tag, color } : { tag }))).id;

export const getContact = (t: TestApp, auth: string, id: number) => ok(apiFor(t, auth).get(`/v1/contact/${id}`));

/** The full v1 Contact object with the defaults of a freshly created contact of team 1. */
export function contactObject(over: Record<string, unknown>) {
  return {
    display_name: '',
    first: '',
    last: '',
    email: '',
    phone: '',
    avatar: '',
    custom: {},
    team_id: 1,
    creator_id: 1,
    assigned_user_id: 0,
    shared: true,
    rev: 1,
    op: 'create',
    tags: [],
    is_opted_out: false,
    external_id: '',
    external_ref: '',
    inbox_id: 0,
    parent_id: 0,
    type: 'contact',
    note: [],
    ...over,
  };
}

/** Team 2 of the tenant-isolation suite (shared fixture team2()), plus a field, a tag and a contact. */
export const TEAM2 = {
  apiKey: SHARED_TEAM2.apiKey,
  memberId: 21,
  phone: '14155552099',
  fieldTitle: 'Team2 Plan',
  tagLabel: 'Team2 VIP',
};

export function writeTeam2Seed(): string {
  return writeSeed({
    teams: [
      team2({
        fields: [{ title: TEAM2.fieldTitle }],
        tags: [{ tag: TEAM2.tagLabel, color: '#00FF00' }],
        contacts: [{ phone: TEAM2.phone, first: 'Zed', last: 'Two', email: 'zed@two.example.com', custom: { [TEAM2.fieldTitle]: 'Gold' }, tags: [TEAM2.tagLabel] }],
      }),
    ],
  });
}

/** A raw request without any Content-Type header (supertest always adds one when sending a body). */
export function rawPost(t: TestApp, path: string, auth: string, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const { port } = t.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { Authorization: auth, ...(body !== undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export { expectRejected };
