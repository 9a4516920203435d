import { defineConfig } from 'vitest/config';

// npm run test:stress: the long versions of the reliability tests (test/stress), one file at a time.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
  },
});
