import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The long versions: `npm run test:stress` (vitest.stress.config.ts).
    exclude: ['test/stress/**', 'node_modules/**'],
    pool: 'forks',
    // Two test files at a time even on a 2-core machine (vitest's default there is one): most of a
    // file's time is spent importing and waiting on sockets and child processes, not computing.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
