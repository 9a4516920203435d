import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Seed-file fixtures shared by test/db, test/http, test/mock and the team/inboxes tests.

export const TEAM2 = {
  secretId: 'team-two-secret-id',
  secretKey: 'team-two-secret-key-0123456789abcdef',
  apiKey: 'team-two-api-key',
};

/** Team 2: its own credentials, two members (22 shares Alice's phone on purpose), one SMS inbox. */
export function team2(overrides: Record<string, unknown> = {}) {
  return {
    id: 2,
    name: 'Second Team',
    list_size: 500,
    api_secrets: [{ secret_id: TEAM2.secretId, secret_key: TEAM2.secretKey }],
    api_keys: [TEAM2.apiKey],
    members: [
      { id: 21, first_name: 'Dan', last_name: 'Two', email: 'dan@two.example', phone: '14155550201', role_id: 1 },
      { id: 22, first_name: 'Eve', email: 'eve@two.example', phone: '14155550101' },
    ],
    inboxes: [{ id: 20, name: 'Team Two SMS', phone: '14155550200', phones: ['14155550200', '14155550209'], members: [22, 21] }],
    ...overrides,
  };
}

let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

let n = 0;
/** Writes `text` as a seed file in a temp directory (removed after the file's tests). */
export function writeSeedText(text: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'hm-seed-'));
  const path = join(dir, `seed-${++n}.json`);
  writeFileSync(path, text);
  return path;
}

/** Writes `content` as a JSON seed file. */
export const writeSeed = (content: unknown) => writeSeedText(JSON.stringify(content));

/** A seed file adding team 2 beside the default team 1. */
export const twoTeamSeed = () => writeSeed({ teams: [team2()] });
