import { defineConfig } from 'vitest/config';

// `npm run test:stress`: the long versions of the reliability tests (docs/reliability.md):
// 100 000 fuzzed requests, 20 SIGKILLs, the event-loop budget of the largest requests.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.test.ts'],
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
