#!/usr/bin/env node
import type { AddressInfo } from 'node:net';
import { banner, clientUrl, EXIT_USAGE, parseArgs, resolveConfig, seedWarnings, teamLines } from './cli.js';
import type { Config } from './config.js';

// CLI entry: flags + environment → config → buildApp → listen; clean shutdown on SIGTERM/SIGINT.

/** How long a graceful stop may take before the process exits anyway. */
const CLOSE_TIMEOUT_MS = 10_000;
/** A repeated signal this soon after the first is the same request (see stop), not "exit now". */
const SIGNAL_ECHO_MS = 1_000;

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  if (parsed.kind === 'exit') process.exit(parsed.code);

  let config: Config;
  try {
    config = resolveConfig(process.env, parsed.overrides);
  } catch (e) {
    process.stderr.write(`heymarket-mock: ${(e as Error).message}\n`);
    process.exit(EXIT_USAGE);
  }

  // Loaded only now, so --help and configuration errors answer without loading the server.
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config);
  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // Ctrl-C under `npm start` can arrive twice at once: from the terminal, and forwarded by npm.
      if (performance.now() - stoppingSince < SIGNAL_ECHO_MS) return;
      process.stderr.write(`heymarket-mock: second ${signal}, exiting without a clean close\n`);
      process.exit(1);
    }
    stoppingSince = performance.now();
    setTimeout(() => {
      process.stderr.write(`heymarket-mock: close took longer than ${CLOSE_TIMEOUT_MS} ms, exiting\n`);
      process.exit(1);
    }, CLOSE_TIMEOUT_MS).unref();
    // app.close() stops accepting connections, lets in-flight requests finish, then closes SQLite.
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`heymarket-mock: error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write([banner(config, clientUrl(config.host, port)), ...teamLines(app.startup.teams)].join('\n') + '\n');
  for (const line of seedWarnings(app.startup.teams)) process.stderr.write(line + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`heymarket-mock: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
