#!/usr/bin/env node
import type { AddressInfo } from 'node:net';
import { banner, clientUrl, EXIT_USAGE, parseArgs, resolveConfig, seedWarnings, teamLines } from './cli.js';
import type { Config } from './config.js';

// CLI entry: flags + environment → config → buildApp → listen; clean shutdown on SIGTERM/SIGINT.

/** How long closing may take after the drain (HEYMARKET_MOCK_DRAIN_MS) before the process exits anyway. */
const CLOSE_TIMEOUT_MS = 5_000;
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
    const limit = config.drainMs + CLOSE_TIMEOUT_MS;
    setTimeout(() => {
      process.stderr.write(`heymarket-mock: stopping took longer than ${limit} ms, exiting\n`);
      process.exit(1);
    }, limit).unref();
    // drain() stops accepting connections, answers new requests 503 and waits (at most
    // HEYMARKET_MOCK_DRAIN_MS) for the requests in flight; close() then closes the rest and SQLite.
    const drained = app.drain(config.drainMs).then((all) => {
      if (!all) process.stderr.write(`heymarket-mock: requests still running after ${config.drainMs} ms (HEYMARKET_MOCK_DRAIN_MS) are cut off\n`);
    });
    drained.then(() => app.close()).then(
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
