import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { ApiError } from '../../src/core/errors.js';
import { validatorCompiler } from '../../src/http/validator.js';
import { parseSnapshotBody, parseTeamBody } from '../../src/mock/seed/parse-sliced.js';
import { TEAM_LIMITS, teamBody } from '../../src/mock/seed/schemas.js';
import { snapshotBody } from '../../src/mock/snapshot/schemas.js';
import { SNAPSHOT_FORMAT } from '../../src/mock/snapshot/service.js';
import { bodyOrEmpty } from '../../src/wire/primitives.js';

// The sliced parse of a team document answers what the route's validator answers for the whole
// document in one parse: the same output, or the same 400 (status, codes, field, message, and
// every problem listed), and it lets other work run while it parses a long list.

const phone = (i: number) => `1415${String(5_550_000 + i).padStart(7, '0')}`;
const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ phone: phone(i), first: `C${i}`, custom: { Plan: 'gold' }, tags: ['vip'] }));
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, first_name: `M${i}`, email: `m${i}@example.com`, phone: phone(i) }));
const inboxes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `I${i}`, phone: phone(i), phones: [phone(100 + i), phone(200 + i)] }));
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, body: 'hi', created: 1_700_000_000_000 + i }));
const wide = (columns: number) => Object.fromEntries(Array.from({ length: columns }, (_, i) => [`c${i}`, i]));
const surveys = [{ id: 1, name: 'S', type: 'nps', question: 'How likely?', created: '2026-04-16T00:00:00Z' }];

/** `list` with `index` replaced by `value`. */
const setAt = <T>(list: T[], index: number, value: unknown) => Object.assign([...list], { [index]: value });
const snapshot = (team: object) => ({ format: SNAPSHOT_FORMAT, team: { id: 7, name: 'Snap', members: members(2), ...team } });

/** What the route's validator answers for `raw`: its value, or its ApiError. */
function viaValidator(schema: ZodType, raw: unknown): { value?: unknown; error?: ApiError } {
  return validatorCompiler({ schema, httpPart: 'body', method: 'POST', url: '/' })(raw) as { value?: unknown; error?: ApiError };
}

const shown = (e: ApiError) => ({ status: e.statusCode, code: e.code, error_code: e.errorCode, field: e.field, message: e.message, problems: e.problems });

/** `expect`: 'ok', or the field the 400 names (undefined: the body itself). */
type Case = [name: string, raw: unknown, expect: 'ok' | { field: string | undefined }];

async function expectSameAnswer(parse: (raw: unknown) => Promise<unknown>, schema: ZodType, [, raw, expected]: Case) {
  const want = viaValidator(schema, raw);
  if (expected === 'ok') expect(want.error && shown(want.error)).toBeUndefined();
  else expect(want.error?.field).toBe(expected.field);
  const got: { value?: unknown; error?: unknown } = await parse(raw).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (want.error) {
    expect(got.error).toBeInstanceOf(ApiError);
    expect(shown(got.error as ApiError)).toEqual(shown(want.error));
  } else {
    expect(got).toStrictEqual({ value: want.value });
  }
}

const teamCases: Case[] = [
  ['no body', undefined, 'ok'],
  ['null', null, 'ok'],
  ['an empty array', [], 'ok'],
  ['an empty object', {}, 'ok'],
  ['defaults only (members and inboxes get theirs)', { members: members(3), inboxes: [{ id: 1, name: 'Main' }, { id: 2, name: 'Mail', type: 'email', email: 'in@example.com' }] }, 'ok'],
  ['contacts with custom values and tags', { name: 'T', contacts: contacts(50), surveys }, 'ok'],
  ['one contact', { contacts: contacts(1) }, 'ok'],
  ['a bad phone in contact 5000 of 6000', { contacts: setAt(contacts(6000), 4999, { phone: 'not-a-phone' }) }, { field: 'contacts[4999].phone' }],
  ['a bad email in member 4 of 10', { members: setAt(members(10), 3, { ...members(1)[0], email: 'nope' }) }, { field: 'members[3].email' }],
  ['a bad email in the first member', { members: setAt(members(10), 0, { ...members(1)[0], email: 'nope' }) }, { field: 'members[0].email' }],
  ['no members', { members: [] }, { field: 'members' }],
  ['a bad phone of inbox 6 of 10', { inboxes: setAt(inboxes(10), 5, { id: 6, name: 'I', phones: [phone(1), phone(2), '12'] }) }, { field: 'inboxes[5].phones[2]' }],
  ['too many contacts', { contacts: new Array<unknown>(TEAM_LIMITS.contacts + 1).fill(contacts(1)[0]) }, { field: 'contacts' }],
  ['too many members', { members: new Array<unknown>(TEAM_LIMITS.members + 1).fill(members(1)[0]) }, { field: 'members' }],
  ['too many inboxes', { inboxes: new Array<unknown>(TEAM_LIMITS.inboxes + 1).fill(inboxes(1)[0]) }, { field: 'inboxes' }],
  ['an unknown key in the team', { nickname: 'x', contacts: contacts(3) }, { field: undefined }],
  ['an unknown key in contact 41 of 100', { contacts: setAt(contacts(100), 41, { phone: phone(1), nick: 'x' }) }, { field: 'contacts[41]' }],
  ['contacts that are not a list', { contacts: 'all' }, { field: 'contacts' }],
  ['a body that is not an object', 'team', { field: undefined }],
  ['a bad id before a bad contact', { id: -1, contacts: setAt(contacts(100), 50, { phone: '1' }) }, { field: 'id' }],
  ['a bad contact before a bad survey', { contacts: setAt(contacts(100), 50, { phone: '1' }), surveys: [{ id: 'x' }] }, { field: 'contacts[50].phone' }],
  ['a bad contact before an unknown key', { nickname: 'x', contacts: setAt(contacts(100), 50, { phone: '1' }) }, { field: 'contacts[50].phone' }],
  ['a bad member before a bad contact', { members: setAt(members(10), 9, { id: 0 }), contacts: setAt(contacts(10), 1, { phone: '1' }) }, { field: 'members[9].id' }],
  ['300 bad contacts and a bad survey (the answer lists the first 100)', { contacts: contacts(400).map((c, i) => (i % 4 ? c : { ...c, phone: 'x', tags: 7 })), surveys: [{ id: 'x' }] }, { field: 'contacts[0].phone' }],
];

const snapshotCases: Case[] = [
  ['a snapshot with state', snapshot({ contacts: contacts(5), surveys, state: { contacts: rows(10), messages: rows(30), empty: [], single: rows(1) } }), 'ok'],
  ['a snapshot with defaults only', snapshot({}), 'ok'],
  ['a "__proto__" table (zod drops it)', JSON.parse('{"format":"heymarket-mock/snapshot@1","team":{"id":1,"name":"T","members":[{"id":1,"first_name":"A","email":"a@example.com","phone":"14155550100"}],"state":{"__proto__":[{"a":1},{"b":2}],"t":[{"a":1},{"a":2}]}}}'), 'ok'],
  ['a state row with too many columns', snapshot({ state: { contacts: rows(3), messages: setAt(rows(20), 7, wide(TEAM_LIMITS.stateColumns + 1)) } }), { field: 'team.state.messages[7]' }],
  ['a state row that is not an object', snapshot({ state: { messages: setAt(rows(20), 3, 'row') } }), { field: 'team.state.messages[3]' }],
  ['too many rows', snapshot({ state: { messages: new Array<unknown>(TEAM_LIMITS.stateRows + 1).fill({ id: 1 }) } }), { field: 'team.state.messages' }],
  // Bad rows that a refused table count must leave unparsed.
  ['too many tables', snapshot({ state: Object.fromEntries(Array.from({ length: TEAM_LIMITS.stateTables + 1 }, (_, i) => [`t${i}`, setAt(rows(2), 1, 'row')])) }), { field: 'team.state' }],
  ['a bad row of a table before a table that is no list', snapshot({ state: { a: setAt(rows(5), 3, 1), b: 'x' } }), { field: 'team.state.a[3]' }],
  ['a table that is no list before a bad row of another', snapshot({ state: { a: 'x', b: setAt(rows(5), 3, 1) } }), { field: 'team.state.a' }],
  ['a bad phone in contact 5000 of 6000', snapshot({ contacts: setAt(contacts(6000), 4999, { phone: '+14155550100' }) }), { field: 'team.contacts[4999].phone' }],
  ['a wrong format', { ...snapshot({ contacts: contacts(10) }), format: 'heymarket-mock/snapshot@0' }, { field: 'format' }],
  ['a wrong format and a bad contact', { ...snapshot({ contacts: setAt(contacts(10), 4, { phone: '1' }) }), format: 2 }, { field: 'format' }],
  ['an unknown key beside the team', { ...snapshot({ contacts: setAt(contacts(10), 4, { phone: '1' }) }), extra: true }, { field: 'team.contacts[4].phone' }],
  ['no team', { format: SNAPSHOT_FORMAT }, { field: 'team' }],
];

describe('parseTeamBody answers as bodyOrEmpty(teamBody) does', () => {
  const schema = bodyOrEmpty(teamBody);
  it.each(teamCases)('%s', async (...c) => expectSameAnswer(parseTeamBody, schema, c));
});

describe('parseSnapshotBody answers as the PUT /__mock/snapshot body schema does', () => {
  it.each(snapshotCases)('%s', async (...c) => expectSameAnswer(parseSnapshotBody, snapshotBody, c));
});

describe('the sliced parse', () => {
  it.each([
    ['20 000 contacts', () => parseTeamBody({ contacts: contacts(20_000) }), (out: unknown) => expect((out as { contacts: unknown[] }).contacts).toHaveLength(20_000)],
    ['a 100 000-row table', () => parseSnapshotBody(snapshot({ state: { messages: rows(100_000) } })), (out: unknown) => expect((out as { team: { state: { messages: unknown[] } } }).team.state.messages).toHaveLength(100_000)],
  ])('lets the event loop turn while it parses %s', async (_, parse, check) => {
    let turns = 0;
    let done = false;
    const spin = (async () => {
      while (!done) {
        await setImmediate();
        turns++;
      }
    })();
    const out = await parse();
    done = true;
    await spin;
    check(out);
    // A parse that never yields lets the loop turn once, after it is done.
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
