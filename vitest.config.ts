import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The long versions: `npm run test:stress` (vitest.stress.config.ts).
    exclude: ['test/stress/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
