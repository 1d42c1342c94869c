import {fileURLToPath} from 'node:url'

/**
 * The shipped SQLite migrations (`drizzle/sqlite`), found from this module (src/db or dist/db) rather than the
 * working directory, so an installed copy finds its migrations wherever it is run from.
 */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle/sqlite', import.meta.url))

/** The PostgreSQL migrations (drizzle.pg.config.ts), beside the SQLite ones. */
export const pgMigrationsFolder = fileURLToPath(new URL('../../drizzle/pg', import.meta.url))
