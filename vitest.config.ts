import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A PostgreSQL for the tests that need one, or one line saying they are skipped.
    globalSetup: ['test/helpers/pg-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores in CI: forks keep native better-sqlite3 handles isolated per test file.
    pool: 'forks',
    disableConsoleIntercept: true,
  },
})
