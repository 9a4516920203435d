import { defineConfig } from 'vitest/config';

// `npm run test:stress`: the long versions of the reliability tests (docs/reliability.md):
// 100 000 fuzzed requests, 20 SIGKILLs, 5 000 idle connections, the event-loop budget of the
// largest requests. One file at a time: the budget and connection tests measure stalls.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
