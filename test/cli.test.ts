import { describe, expect, it } from 'vitest';
import { banner, clientUrl, parseArgs, seedWarnings, teamLines } from '../src/cli.js';
import { loadConfig, testConfig } from '../src/config.js';

describe('CLI helpers (src/cli.ts)', () => {
  it('maps flags to config keys and leaves unset ones out', () => {
    const r = parseArgs(['--port', '9000', '--secret-id', 'id', '--log-level', 'debug'], () => {}, () => {});
    expect(r).toEqual({ kind: 'run', overrides: { port: '9000', secretId: 'id', logLevel: 'debug' } });
  });

  it('reports usage errors instead of exiting', () => {
    let err = '';
    expect(parseArgs(['--port'], () => {}, (s) => (err += s))).toEqual({ kind: 'exit', code: 2 });
    expect(err).toContain("option '--port <port>' argument missing");
  });

  it('listens on loopback unless HOST or --host says otherwise (the Docker image sets 0.0.0.0)', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }, { host: '::1' }).host).toBe('::1');
  });

  it('shows a wildcard listen address as loopback, and brackets IPv6', () => {
    expect(clientUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080');
    expect(clientUrl('::', 8080)).toBe('http://127.0.0.1:8080');
    expect(clientUrl('::1', 81)).toBe('http://[::1]:81');
    expect(clientUrl('localhost', 81)).toBe('http://localhost:81');
  });

  it('prints one banner line with the credentials and the token recipe', () => {
    const line = banner(testConfig({ secretId: 'sid', secretKey: 'skey', apiKey: 'akey' }), 'http://127.0.0.1:1');
    expect(line).not.toContain('\n');
    expect(line).toContain('http://127.0.0.1:1');
    expect(line).toContain('{"iss":"sid","iat":<unix s>} signed with "sid||skey"');
    expect(line).toContain('curl -H "Authorization: Bearer akey" http://127.0.0.1:1/v1/inboxes');
  });

  it('lists the teams under the banner and warns about a seed that differs from the stored team', () => {
    const teams = [
      { id: 1, name: 'One', origin: 'default' as const, created: false, differences: [], inboxes: [{ id: 10, name: 'SMS', kind: 'sms' as const, address: '14155550100' }] },
      { id: 2, name: 'Two', origin: 'seed file' as const, created: false, differences: ['inbox 21 (not stored)'], inboxes: [] },
      { id: 3, name: 'Old', origin: 'stored only' as const, created: false, differences: [], inboxes: [] },
    ];
    expect(teamLines(teams)).toEqual([
      '  team 1 "One" (default team): inboxes 10 "SMS" (sms 14155550100)',
      '  team 2 "Two" (seed file): no inboxes',
      '  team 3 "Old" (stored, not in the seed; POST /__mock/reset removes it): no inboxes',
    ]);
    const warnings = seedWarnings(teams);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("the seed file's team 2 differs from the stored team 2 \"Two\": inbox 21 (not stored)");
    expect(warnings[0]).toContain('POST /__mock/reset?team=2 applies');
    expect(teamLines([])).toEqual([expect.stringMatching(/no teams/)]);
  });
});
