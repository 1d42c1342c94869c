import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores in CI: forks keep native better-sqlite3 handles isolated per test file.
    pool: 'forks',
    disableConsoleIntercept: true,
  },
})
