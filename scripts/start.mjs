// `npm start`: builds dist/ only when a source changed since the last build (scripts/build.mjs),
// then runs the server in this very process. package.json starts it with `exec`, so this node
// is npm's direct child: the SIGTERM or SIGINT npm forwards reaches the server itself, which
// closes cleanly (no shell in between that dies and leaves the server running).

import { build, buildReason } from './build.mjs';

const reason = buildReason();
if (reason) {
  process.stderr.write(`heymarket-mock: building dist/ (${reason}), about 15 s ...\n`);
  if (!(await build())) process.exit(1);
}
// src/main.ts reads its flags from process.argv.slice(2): `npm start -- --port 9000` arrives as is.
await import('../dist/src/main.js');
