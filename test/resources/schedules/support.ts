import { MAX_PHONES } from '../../../src/resources/lists/schemas.js';
import { twoTeamSeed } from '../../db/fixtures.js';
import type { RunReport } from '../../../src/core/runner.js';
import * as api from '../../support/api.js';
import { apiFor, ok, TEAM2_AUTH } from '../../support/api.js';
import { expectRejected, T0, type TestApp } from '../../support/app.js';

// Shared helpers of the scheduled-message suites (not a test file: vitest only collects *.test.ts).

export const AUTH2 = TEAM2_AUTH;
export const MIN = 60_000;
export const PHONE = '14155551234';
export const PHONE2 = '14155559876';

/** RFC 3339 (toIso form) of T0 + ms. */
export const at = (ms: number) => new Date(T0 + ms).toISOString();
/** The first slot a schedule may use at T0: exactly 15 minutes ahead. */
export const SLOT = at(15 * MIN);

export const start = (opts: { twoTeams?: boolean } = {}) => api.start(opts.twoTeams ? { seed: twoTeamSeed() } : {});

/** The smallest valid create body: text to one phone from inbox 10, 15 minutes ahead. */
export const body = (over: Record<string, unknown> = {}) => ({ inbox_id: 10, execute_at: SLOT, phone_number: PHONE, content: { text: 'Hello' }, ...over });

/** POST /v1/schedule that must succeed; answers the Scheduled object. */
export const createSchedule = (t: TestApp, auth: string, b: Record<string, unknown> = body()) => ok<Scheduled>(apiFor(t, auth).post('/v1/schedule', b));

export const getSchedule = (t: TestApp, auth: string, id: number) => ok<Scheduled>(apiFor(t, auth).get(`/v1/schedule/${id}`));

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
      content: { text: 'Hello', template: 0, to: PHONE, attachments: [], gallery: [], local_day: 0, local_time: '0001-01-01T00:00:00Z', offset: 0, ...content },
      conversation_id: 0,
      list_id: 0,
      campaign_id: 0,
      campaign_step_id: 0,
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
    message_id: 0,
    error: null,
    ...over,
  };
}

export const scheduleRows = (t: TestApp) => t.sql('SELECT * FROM schedules ORDER BY id');
export const messageRows = (t: TestApp) => t.sql<Record<string, unknown>>('SELECT * FROM messages ORDER BY id');

/** A contact by phone through POST /v1/contact. */
export const createContact = async (t: TestApp, auth: string, phone: string, extra: Record<string, unknown> = {}): Promise<number> =>
  (await api.createContact(apiFor(t, auth), { phone, ...extra })).id;

export const setStatus = (t: TestApp, auth: string, phone: string, status: string) => api.setStatus(apiFor(t, auth), { phone, status });

export const createTemplate = (t: TestApp, auth: string, text: string, gallery?: unknown[]) =>
  api.createTemplate(apiFor(t, auth), { title: 'T', content: { text, ...(gallery ? { gallery } : {}) } });

/** A v1 list of these numbers; more than one request may carry (MAX_PHONES) are added by further updates. */
export async function createList(t: TestApp, auth: string, phones: string[]): Promise<number> {
  const { id } = await ok<{ id: number }>(apiFor(t, auth).post('/v1/list', { title: 'L', phones: phones.slice(0, MAX_PHONES) }));
  for (let i = MAX_PHONES; i < phones.length; i += MAX_PHONES) await ok(apiFor(t, auth).put(`/v1/list/${id}`, { add_phones: phones.slice(i, i + MAX_PHONES) }));
  return id;
}

/** GET /v1/messages for a phone in inbox 10. */
export const history = (t: TestApp, auth: string, phone: string, inbox = 10) =>
  api.history(apiFor(t, auth), { phoneNumber: phone, inboxID: inbox }) as Promise<Array<Record<string, unknown>>>;

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
