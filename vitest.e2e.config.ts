import { defineConfig } from 'vitest/config';

// End-to-end suite: the real bot + Microsoft 365 Agents Playground + Chromium.
// Run it through tests/e2e/run-e2e.sh (private network namespace), not directly.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    // One bot + Playground + Chromium at a time (PGlite alone is ~300 MB).
    maxWorkers: 1,
    fileParallelism: false,
    retry: 0,
  },
});
