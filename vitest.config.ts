import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{nodes,runtime,designer,sandbox,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Runtime tests share one Redis; each uses its own key prefix, so files can run in parallel.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
