import { expect } from 'vitest';
import { TEAM2, twoTeamSeed } from '../../db/fixtures.js';
import type { RunReport } from '../../../src/core/runner.js';
import { expectRejected, startApp, T0, type TestApp } from '../../support/app.js';

// Shared helpers of the scheduled-message suites (not a test file: vitest only collects *.test.ts).

export const AUTH2 = `Bearer ${TEAM2.apiKey}`;
export const MIN = 60_000;
export const PHONE = '14155551234';
export const PHONE2 = '14155559876';

/** RFC 3339 (toIso form) of T0 + ms. */
export const at = (ms: number) => new Date(T0 + ms).toISOString();
/** The first slot a schedule may use at T0: exactly 15 minutes ahead. */
export const SLOT = at(15 * MIN);

export async function start(opts: { twoTeams?: boolean } = {}) {
  const t = await startApp(opts.twoTeams ? { seed: twoTeamSeed() } : {});
  return { t, auth: await t.auth() };
}

/** The smallest valid create body: text to one phone from inbox 10, 15 minutes ahead. */
export const body = (over: Record<string, unknown> = {}) => ({ inbox_id: 10, execute_at: SLOT, phone_number: PHONE, content: { text: 'Hello' }, ...over });

/** POST /v1/schedule that must succeed; answers the Scheduled object. */
export async function createSchedule(t: TestApp, auth: string, b: Record<string, unknown> = body()) {
  const res = await t.http.post('/v1/schedule').set('Authorization', auth).send(b);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Scheduled;
}

export async function getSchedule(t: TestApp, auth: string, id: number) {
  const res = await t.http.get(`/v1/schedule/${id}`).set('Authorization', auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Scheduled;
}

export interface Scheduled {
  id: number;
  execute: string;
  status: 'pending' | 'sent' | 'failed';
  message_id: number | null;
  error: string | null;
  rev: number;
  [k: string]: unknown;
}

/** The Scheduled object the API must answer, with the defaults of `body()` (override any part). */
export function scheduledJson(over: Record<string, unknown> = {}, content: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return {
    id: 1,
    execute: SLOT,
    inbox_id: 10,
    local_id: '',
    meta: {
      content: { text: 'Hello', template: null, to: PHONE, attachments: [], gallery: [], local_day: null, local_time: '', offset: 0, ...content },
      conversation_id: null,
      list_id: null,
      campaign_id: null,
      campaign_step_id: null,
      campaign_target_phone: '',
      ...meta,
    },
    op: 'create',
    rev: 1,
    created: at(0),
    updated: at(0),
    team_id: 1,
    user_id: 1,
    status: 'pending',
    message_id: null,
    error: null,
    ...over,
  };
}

export const scheduleRows = (t: TestApp) => t.sql('SELECT * FROM schedules ORDER BY id');
export const messageRows = (t: TestApp) => t.sql<Record<string, unknown>>('SELECT * FROM messages ORDER BY id');

/** A contact by phone through POST /v1/contact. */
export async function createContact(t: TestApp, auth: string, phone: string, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}

export async function setStatus(t: TestApp, auth: string, phone: string, status: string) {
  const res = await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ phone, status });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function createTemplate(t: TestApp, auth: string, text: string, gallery?: unknown[]): Promise<number> {
  const res = await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'T', content: { text, ...(gallery ? { gallery } : {}) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}

export async function createList(t: TestApp, auth: string, phones: string[]): Promise<number> {
  const res = await t.http.post('/v1/list').set('Authorization', auth).send({ title: 'L', phones });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}

/** GET /v1/messages for a phone in inbox 10. */
export async function history(t: TestApp, auth: string, phone: string, inbox = 10) {
  const res = await t.http.get(`/v1/messages?phoneNumber=${phone}&inboxID=${inbox}`).set('Authorization', auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Array<Record<string, unknown>>;
}

export { expectRejected };

/** What the runner did with scheduled messages: ids sent, ids failed, errors thrown. */
export function scheduleReport(report: RunReport) {
  const of = (outcome: string) => report.ran.filter((r) => r.job === 'schedule' && r.outcome === outcome).map((r) => r.id);
  return { sent: of('sent'), failed: of('failed'), errors: report.errors };
}

/** Runs every schedule due now (by each team's clock). */
export const runSchedules = async (t: TestApp, teamId?: number) => scheduleReport(await t.runDue(teamId));

/** Advances team 1's clock by `ms`, running each schedule at its own time on the way. */
export const advanceSchedules = async (t: TestApp, ms: number, teamId = 1) => scheduleReport(await t.app.mock.runner.advance(teamId, ms));
