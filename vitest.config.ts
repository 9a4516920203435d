import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The long versions (npm run test:stress) stay out of the default run.
    exclude: ['**/node_modules/**', 'test/stress/**'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
