import { Command, CommanderError } from 'commander';
import { configSchema, envNames, loadConfig, type Config } from './config.js';
import { readSeedFile } from './mock/seed/schemas.js';
import { seedTeams, type StartupTeam } from './mock/seed/service.js';
import { wireParse } from './wire/primitives.js';

// Pure helpers of the CLI (src/main.ts): flag parsing, config loading, the start-up banner.

/** Exit codes: 0 clean stop or --help, 1 a failure while running, 2 bad flags or configuration. */
export const EXIT_USAGE = 2;

/** The settings that have a flag; the others are set by environment variable only. */
const flags = [
  ['port', '--port <port>', 'TCP port to listen on (0 = any free port)'],
  ['host', '--host <host>', 'address to listen on'],
  ['db', '--db <path>', 'SQLite database file (":memory:" keeps nothing)'],
  ['secretId', '--secret-id <id>', 'API Secret ID of the default team (JWT iss)'],
  ['secretKey', '--secret-key <key>', 'API Secret Key of the default team'],
  ['apiKey', '--api-key <key>', 'legacy team API key of the default team'],
  ['seed', '--seed <file>', 'JSON seed file with extra teams (README "Seed file")'],
  ['logLevel', '--log-level <level>', 'fatal, error, warn, info, debug, trace or silent'],
] as const satisfies ReadonlyArray<readonly [keyof Config, string, string]>;

export type CliOverrides = Partial<Record<keyof Config, string>>;

export type ParseResult = { kind: 'run'; overrides: CliOverrides } | { kind: 'exit'; code: number };

/**
 * Parses argv (without the node and script entries). Help text goes to `out`, usage errors to
 * `err`; it never exits the process itself.
 */
export function parseArgs(args: string[], out: (s: string) => void, err: (s: string) => void): ParseResult {
  const defaults = configSchema.parse({}, wireParse);
  const program = new Command()
    .name('heymarket-mock')
    .description('Self-hosted, stateful mock of the Heymarket REST API. Each flag overrides its environment variable.')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err });
  for (const [key, flag, text] of flags) {
    const def = defaults[key];
    program.option(flag, `${text} [env ${envNames[key]}${def === undefined ? '' : `, default ${String(def)}`}]`);
  }
  const envOnly = (Object.keys(envNames) as Array<keyof Config>).filter((k) => !flags.some(([f]) => f === k));
  program.addHelpText(
    'after',
    '\nEnvironment only:\n' + envOnly.map((k) => `  ${envNames[k]} (default ${String(defaults[k])})`).join('\n'),
  );
  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return { kind: 'exit', code: e.exitCode === 0 ? 0 : EXIT_USAGE };
    throw e;
  }
  const opts = program.opts<Record<string, string | undefined>>();
  const overrides: CliOverrides = {};
  for (const [key] of flags) if (opts[key] !== undefined) overrides[key] = opts[key];
  return { kind: 'run', overrides };
}

/**
 * Environment + flags → Config, and the seed file (if any) read and checked up front, so every
 * configuration mistake is reported before anything is opened. Throws a readable Error.
 */
export function resolveConfig(env: NodeJS.ProcessEnv, overrides: CliOverrides): Config {
  const config = loadConfig(env, overrides);
  if (config.seed) seedTeams(config, readSeedFile(config.seed));
  return config;
}

/** The URL a client on this machine can use: a wildcard host is shown as loopback. */
export function clientUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** The one line printed to stdout once the server listens. */
export function banner(config: Config, url: string): string {
  const { secretId, secretKey, apiKey } = config;
  return (
    `heymarket-mock listening on ${url} (db ${config.db}) | API Secret ID ${secretId} | API Secret Key ${secretKey} | API key ${apiKey} | ` +
    `token: HS256 JWT {"iss":"${secretId}","iat":<unix s>} signed with "${secretId}||${secretKey}"; ` +
    `or curl -H "Authorization: Bearer ${apiKey}" ${url}/v1/inboxes`
  );
}

/** One line per stored team, printed under the banner: id, name, where it comes from, its inboxes. */
export function teamLines(teams: StartupTeam[]): string[] {
  if (!teams.length) return ['  no teams: every API request will get 401 (the seed file drops the default team and adds none)'];
  return teams.map((t) => {
    const origin =
      t.origin === 'stored only'
        ? 'stored, not in the seed; POST /__mock/reset removes it'
        : `${t.origin === 'default' ? 'default team' : 'seed file'}${t.created ? ', created now' : ''}`;
    const inboxes = t.inboxes.length
      ? 'inboxes ' + t.inboxes.map((i) => `${i.id} ${JSON.stringify(i.name)} (${i.kind} ${i.address})`).join(', ')
      : 'no inboxes';
    return `  team ${t.id} ${JSON.stringify(t.name)} (${origin}): ${inboxes}`;
  });
}

/** A warning per seeded team whose seed differs from the stored team that was kept (for stderr). */
export function seedWarnings(teams: StartupTeam[]): string[] {
  return teams
    .filter((t) => t.differences.length && t.origin !== 'stored only')
    .map(
      (t) =>
        `heymarket-mock: warning: the ${t.origin === 'default' ? 'built-in default team' : 'seed file'}'s team ${t.id} differs from the stored team ` +
        `${t.id} ${JSON.stringify(t.name)}: ${t.differences.join(', ')}. The stored team is kept; ` +
        `POST /__mock/reset?team=${t.id} applies the seed's version (and drops that team's contacts, messages and other data).`,
    );
}
