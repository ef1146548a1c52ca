import { defineConfig } from 'vitest/config';

/**
 * Suites:
 * - unit: pure rules next to the code (src/**\/*.test.ts), no I/O.
 * - pglite / postgres: store, HTTP and integration tests (test/integration), once per driver (test/pglite: things
 *   only the embedded database has, like its single-process lock and the zero-setup CLI). The postgres
 *   project runs when TEST_DATABASE_URL is set; each test file gets a fresh database cloned from a migrated
 *   template.
 * - multiprocess: several real Balie processes on one PostgreSQL (needs TEST_DATABASE_URL).
 * - browser: real Chromium through playwright-core (test/browser); skipped loudly without Chromium unless
 *   BALIE_REQUIRE_BROWSER=1, which turns a missing browser into a failure (CI).
 */
const pg = process.env.TEST_DATABASE_URL;
// Generous hook timeouts: a file starts a whole Balie (database, job queue) and CI runs on 2 busy cores.
const common = { testTimeout: 30_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      { test: { ...common, name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'widget/src/**/*.test.ts'] } },
      {
        test: {
          ...common,
          name: 'pglite',
          include: ['test/integration/**/*.test.ts', 'test/pglite/**/*.test.ts'],
          env: { BALIE_TEST_DRIVER: 'pglite' },
          globalSetup: ['./test/support/global-setup.ts'],
        },
      },
      ...(pg
        ? [
            {
              test: {
                ...common,
                name: 'postgres',
                include: ['test/integration/**/*.test.ts'],
                env: { BALIE_TEST_DRIVER: 'postgres' },
                globalSetup: ['./test/support/global-setup.ts'],
              },
            },
            {
              test: {
                ...common,
                name: 'multiprocess',
                include: ['test/multiprocess/**/*.test.ts'],
                env: { BALIE_TEST_DRIVER: 'postgres' },
                globalSetup: ['./test/support/global-setup.ts'],
                testTimeout: 120_000,
                // Starting real processes (tsx compiles on the fly) is slow on a busy 2-core machine.
                hookTimeout: 180_000,
              },
            },
          ]
        : []),
      {
        test: {
          ...common,
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          env: { BALIE_TEST_DRIVER: pg ? 'postgres' : 'pglite' },
          globalSetup: ['./test/support/global-setup.ts'],
          testTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
