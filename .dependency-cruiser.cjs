// The layering of docs/architecture.md, checked by `npm test` (npm run lint:deps): imports only
// point down. One rule per boundary, so a failure names the boundary that was crossed.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules never import each other in a circle (e.g. messages ⇄ conversations).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain holds pure rules: it imports nothing of ours outside src/domain.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'core-below-everything',
      severity: 'error',
      comment: 'src/core (clock, ids, errors, runner) sits under every layer: only src/domain below it.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/(core|domain)/' },
    },
    {
      name: 'wire-knows-no-layers-above',
      severity: 'error',
      comment: 'src/wire (zod wire primitives) may use core and domain only.',
      from: { path: '^src/wire/' },
      to: { path: '^src/', pathNot: '^src/(wire|core|domain)/' },
    },
    {
      name: 'db-knows-no-resources-or-http',
      severity: 'error',
      comment: 'Storage (schema, open, transactions) knows no resources, no HTTP, no control plane.',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|core|domain)/' },
    },
    {
      name: 'http-knows-no-resources',
      severity: 'error',
      comment: 'The HTTP layer (auth, errors, parsing) gets credential look-ups injected by app.ts.',
      from: { path: '^src/http/' },
      to: { path: '^src/(resources|mock|db)/' },
    },
    {
      name: 'resources-below-http-and-mock',
      severity: 'error',
      comment: 'Resources never import the HTTP layer or the control plane (they are above them).',
      from: { path: '^src/resources/' },
      to: { path: '^src/(http|mock)/|^src/(app|main|cli)\\.ts$' },
    },
    {
      name: 'nothing-below-imports-the-control-plane',
      severity: 'error',
      comment: 'src/mock may call resource services; nothing but app.ts and cli.ts imports it.',
      from: { path: '^src/', pathNot: '^src/(mock/|app\\.ts$|cli\\.ts$)' },
      to: { path: '^src/mock/' },
    },
    {
      name: 'context-and-config-stay-low',
      severity: 'error',
      comment: 'config.ts and context.ts are read by every layer, so they import only the low layers (core, wire, domain, db types) and config.',
      from: { path: '^src/(context|config)\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(core/|wire/|domain/|db/|config\\.ts$)' },
    },
    {
      name: 'entry-points-on-top',
      severity: 'error',
      comment: 'Only main.ts imports app.ts and cli.ts; nothing imports main.ts.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(app|main|cli)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    moduleSystems: ['es6'],
  },
};
