import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, type ConfigInput } from '../../src/config.js';
import { seedWarnings, teamLines } from '../../src/cli.js';
import { TEAM2, team2, writeSeed } from '../db/fixtures.js';
import { mintToken, startApp, type TestApp } from '../support/app.js';

// Start-up on an existing database file: credentials become exactly the configured ones, and
// the banner's team list reports what was loaded and how a seed differs from the stored team.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-startup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the app on the test's database file, after closing the previous one (a restart). */
let previous: TestApp | undefined;
async function restart(config: ConfigInput = {}): Promise<TestApp> {
  if (previous) await previous.app.close();
  previous = await startApp({ db: join(dir, 'mock.sqlite'), ...config });
  return previous;
}
afterEach(() => {
  previous = undefined;
});

const status = async (t: TestApp, authorization: string) => (await t.http.get('/v1/inboxes').set('Authorization', authorization)).status;
const jwt = (t: TestApp, secretId: string, secretKey: string) => mintToken({ secretId, secretKey, iat: Math.floor(t.wall.now() / 1000) });

describe('credentials at start-up', () => {
  it("a restart with a new API key and Secret leaves only the new ones valid for the default team", async () => {
    const first = await restart();
    expect(await status(first, `Bearer ${DEFAULT_API_KEY}`)).toBe(200);
    expect(await status(first, `Bearer ${await jwt(first, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)}`)).toBe(200);
    expect((await first.http.post('/v1/tag').set('Authorization', `Bearer ${DEFAULT_API_KEY}`).send({ tag: 'Kept' })).status).toBe(200);

    const second = await restart({ apiKey: 'new-api-key', secretId: 'new-secret-id', secretKey: 'new-secret-key' });
    expect(await status(second, `Bearer ${DEFAULT_API_KEY}`)).toBe(401);
    expect(await status(second, `Bearer ${await jwt(second, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)}`)).toBe(401);
    expect(await status(second, `Bearer new-api-key`)).toBe(200);
    expect(await status(second, `Bearer ${await jwt(second, 'new-secret-id', 'new-secret-key')}`)).toBe(200);
    expect(second.sql('SELECT secret_id, team_id FROM api_secrets')).toEqual([{ secret_id: 'new-secret-id', team_id: 1 }]);
    expect(second.sql('SELECT key, team_id FROM api_keys')).toEqual([{ key: 'new-api-key', team_id: 1 }]);
    // The data stays: only the credentials are replaced.
    expect(second.sql('SELECT tag FROM tags')).toEqual([{ tag: 'Kept' }]);

    // A new Secret Key for the same Secret ID: tokens signed with the old key stop working.
    const third = await restart({ apiKey: 'new-api-key', secretId: 'new-secret-id', secretKey: 'newer-secret-key' });
    expect(await status(third, `Bearer ${await jwt(third, 'new-secret-id', 'new-secret-key')}`)).toBe(401);
    expect(await status(third, `Bearer ${await jwt(third, 'new-secret-id', 'newer-secret-key')}`)).toBe(200);
  });

  it('a seed-file team holds exactly the credentials of the current file', async () => {
    const before = { api_secrets: [{ secret_id: TEAM2.secretId, secret_key: TEAM2.secretKey }], api_keys: [TEAM2.apiKey, 'team-two-second-key'] };
    const first = await restart({ seed: writeSeed({ teams: [team2(before)] }) });
    expect(await status(first, 'Bearer team-two-second-key')).toBe(200);

    const after = { api_secrets: [{ secret_id: 'team-two-rotated', secret_key: 'rotated-key' }], api_keys: ['team-two-new-key'] };
    const second = await restart({ seed: writeSeed({ teams: [team2(after)] }) });
    for (const old of [`Bearer ${TEAM2.apiKey}`, 'Bearer team-two-second-key', `Bearer ${await jwt(second, TEAM2.secretId, TEAM2.secretKey)}`]) {
      expect(await status(second, old), old).toBe(401);
    }
    expect(await status(second, 'Bearer team-two-new-key')).toBe(200);
    expect(await status(second, `Bearer ${await jwt(second, 'team-two-rotated', 'rotated-key')}`)).toBe(200);
    // The default team is untouched.
    expect(await status(second, `Bearer ${DEFAULT_API_KEY}`)).toBe(200);

    // No keys at all in the file: the team keeps none.
    const third = await restart({ seed: writeSeed({ teams: [team2({ api_secrets: [], api_keys: [] })] }) });
    expect(third.sql('SELECT * FROM api_keys WHERE team_id = 2')).toEqual([]);
    expect(third.sql('SELECT * FROM api_secrets WHERE team_id = 2')).toEqual([]);
  });

  it('a key moved from one team to another in the seed file follows it', async () => {
    await restart({ seed: writeSeed({ teams: [team2()] }) });
    const second = await restart({ seed: writeSeed({ teams: [team2({ api_keys: [] }), team2({ id: 3, name: 'Third', members: [{ id: 31, first_name: 'Fay', email: 'fay@three.example', phone: '14155550301' }], inboxes: [], api_secrets: [] })] }) });
    expect(second.sql('SELECT key, team_id FROM api_keys WHERE key = ?', TEAM2.apiKey)).toEqual([{ key: TEAM2.apiKey, team_id: 3 }]);
    expect((await second.http.get('/v1/team').set('Authorization', `Bearer ${TEAM2.apiKey}`)).body.id).toBe(3);
  });
});

describe('team list and seed warnings at start-up', () => {
  it('lists every team with its inboxes, and marks where it comes from', async () => {
    const first = await restart({ seed: writeSeed({ teams: [team2()] }) });
    expect(teamLines(first.app.startup.teams)).toEqual([
      '  team 1 "Heymarket Mock Team" (default team, created now): inboxes 10 "Support" (sms 14155550100), 11 "Marketing (toll-free)" (sms 18885550100), 12 "Email" (email support@example.com)',
      '  team 2 "Second Team" (seed file, created now): inboxes 20 "Team Two SMS" (sms 14155550200)',
    ]);
    expect(seedWarnings(first.app.startup.teams)).toEqual([]);

    // Same seed again: nothing is created and nothing differs.
    const second = await restart({ seed: writeSeed({ teams: [team2()] }) });
    expect(teamLines(second.app.startup.teams)[1]).toBe('  team 2 "Second Team" (seed file): inboxes 20 "Team Two SMS" (sms 14155550200)');
    expect(seedWarnings(second.app.startup.teams)).toEqual([]);

    // Without the seed file, team 2 is still stored, but seeded by nothing.
    const third = await restart();
    expect(teamLines(third.app.startup.teams)[1]).toBe('  team 2 "Second Team" (stored, not in the seed; POST /__mock/reset removes it): inboxes 20 "Team Two SMS" (sms 14155550200)');
    expect(seedWarnings(third.app.startup.teams)).toEqual([]);
  });

  it('warns when the seed file edits a stored team, and names POST /__mock/reset?team=ID', async () => {
    await restart({ seed: writeSeed({ teams: [team2()] }) });
    const edited = team2({
      name: 'Team Two Renamed',
      inboxes: [
        { id: 20, name: 'Team Two SMS', phone: '14155550200', phones: ['14155550200', '14155550209'], members: [21] },
        { id: 23, name: 'New Inbox', type: 'email', email: 'new@two.example', members: [21] },
      ],
    });
    const t = await restart({ seed: writeSeed({ teams: [edited] }) });
    const team = t.app.startup.teams.find((x) => x.id === 2)!;
    expect(team.differences).toEqual(['name (stored "Second Team")', 'inbox 20 (members)', 'inbox 23 (not stored)']);
    const [warning, ...more] = seedWarnings(t.app.startup.teams);
    expect(more).toEqual([]);
    expect(warning).toMatch(/^heymarket-mock: warning: the seed file's team 2 differs from the stored team 2 "Second Team": name \(stored "Second Team"\), inbox 20 \(members\), inbox 23 \(not stored\)\. The stored team is kept; POST \/__mock\/reset\?team=2 applies the seed's version/);

    // The stored team was kept as it was ...
    expect(t.sql('SELECT name FROM teams WHERE id = 2')).toEqual([{ name: 'Second Team' }]);
    // ... and the reset the warning names applies the edit.
    expect((await t.http.post('/__mock/reset?team=2')).status).toBe(200);
    expect(t.sql('SELECT name FROM teams WHERE id = 2')).toEqual([{ name: 'Team Two Renamed' }]);
    expect(t.sql<{ id: number }>('SELECT id FROM inboxes WHERE team_id = 2 ORDER BY id').map((r) => r.id)).toEqual([20, 23]);
  });

  it('does not count a member the API updated as a seed difference', async () => {
    const first = await restart();
    first.clock.advance(1_000);
    const res = await first.http.post('/v1/users/update').set('Authorization', await first.auth()).send({ users: [{ id: 2, first_name: 'Robert' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const second = await restart();
    expect(second.app.startup.teams[0]!.differences).toEqual([]);
  });
});
