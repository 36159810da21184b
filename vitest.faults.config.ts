import { defineConfig } from 'vitest/config';

/**
 * Fault tests (test/faults): a private PostgreSQL and Redis per file, the daemon as a child process that gets
 * killed, its database stopped or made read-only. Not part of `npm test`; `.ci/run` runs them once:
 *   npx vitest run -c vitest.faults.config.ts
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/global-setup.ts'],
    // One file at a time: each starts PostgreSQL, Redis and daemons on 2 shared cores.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
