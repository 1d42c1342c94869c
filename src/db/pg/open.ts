import {drizzle, type NodePgDatabase} from 'drizzle-orm/node-postgres'
import pg from 'pg'

import {AttendError} from '../../errors.js'
import {redactUrl} from '../location.js'
import {applyPgMigrations} from './migrate.js'
import * as schema from './schema.js'
import {attendTypes} from './types.js'

export type PgDb = NodePgDatabase<typeof schema>

/** An open PostgreSQL store: a connection pool and the Drizzle handle over it. */
export interface PgDatabase {
  readonly url: string
  readonly pool: pg.Pool
  readonly db: PgDb
  close(): Promise<void>
}

export interface PgOpenOptions {
  /** Apply pending migrations (default true); `attend db info` only looks. */
  migrate?: boolean
  /** Connections in the pool (default 10, node-postgres's own default). */
  max?: number
}

/**
 * Connects to the PostgreSQL store at `url`, proves the connection with one query (so a wrong host,
 * password or database name fails here, in one sentence) and applies pending migrations.
 */
export async function openPgDatabase(url: string, options: PgOpenOptions = {}): Promise<PgDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: attendTypes,
    application_name: 'attend',
    connectionTimeoutMillis: 10_000,
  })
  // An idle connection the server drops (a restart, a proxy's timeout) is reported on the pool; the
  // next query fails with its own error, so this one must not take the process down.
  pool.on('error', () => undefined)
  try {
    await pool.query('SELECT 1')
    if (options.migrate !== false) await applyPgMigrations(pool)
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw describePgError(url, error)
  }
  return {
    url,
    pool,
    db: drizzle(pool, {schema}),
    async close() {
      await pool.end()
    },
  }
}

/** A driver or server error as one sentence naming the store (its URL without the password). */
export function describePgError(url: string, error: unknown): Error {
  if (error instanceof AttendError) return error
  const where = redactUrl(url)
  const code = (error as {code?: string}).code ?? ''
  const message = error instanceof Error ? error.message : String(error)
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOENT'].includes(code) || /timeout/i.test(message)) {
    return new AttendError(`Cannot reach the PostgreSQL server of ${where}: ${message}.`, {code: 'store_unreachable', cause: error})
  }
  if (code === '28P01' || code === '28000') {
    return new AttendError(`PostgreSQL refused the login to ${where}: ${message}.`, {code: 'store_login', cause: error})
  }
  if (code === '3D000') {
    return new AttendError(`The database of ${where} does not exist: ${message}. Create it first (createdb, or CREATE DATABASE).`, {code: 'store_missing', cause: error})
  }
  return new AttendError(`Cannot open the PostgreSQL store ${where}: ${message}`, {code: 'store_open', cause: error})
}
