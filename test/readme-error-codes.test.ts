import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/core/error-codes.js';

describe('README "Error codes"', () => {
  it('lists exactly the codes the mock answers, with their meanings', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Error codes'), readme.indexOf('## Endpoints'));
    const rows = [...section.matchAll(/^\| `([a-z_0-9]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]).filter(([code]) => code !== 'error_code');
    expect(Object.fromEntries(rows)).toEqual(ERROR_CODES);
  });
});
