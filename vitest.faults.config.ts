import { defineConfig } from 'vitest/config';

// Fault-injection suite (issue 8): real bot processes, a private PostgreSQL per file,
// database stops, connector faults, kill -9. `npm run test:faults`; not part of `npm test`.
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    // Each file runs its own PostgreSQL, connector and bot processes (ports and databases are
    // private), so two files at a time: much of each scenario is waiting (leases, Retry-After, hangs).
    maxWorkers: 2,
    retry: 0,
  },
});
