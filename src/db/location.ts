import fs from 'node:fs'
import path from 'node:path'
import {parse as parseConnectionString} from 'pg-connection-string'

import {UsageError} from '../errors.js'

/**
 * Where a store lives: a SQLite file, or a PostgreSQL database named by its connection URL
 * (`postgres://user:password@host:5432/db`), which is carried as given, never turned into a path.
 */
export type StoreLocation = {engine: 'sqlite'; path: string} | {engine: 'postgres'; url: string}

export type ResolvedStoreLocation = StoreLocation & {from: 'flag' | 'env' | 'default'}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i

export function isPostgresUrl(value: string): boolean {
  return POSTGRES_URL.test(value.trim())
}

/**
 * A `--db`-style value as a location: a postgres:// or postgresql:// URL, else a file path
 * resolved against the working directory. `name` says where the value came from, for the error.
 */
export function parseStoreLocation(value: string, name = '--db'): StoreLocation {
  const trimmed = value.trim()
  if (!isPostgresUrl(trimmed)) return {engine: 'sqlite', path: trimmed === ':memory:' ? trimmed : path.resolve(value)}
  try {
    // node-postgres's own parser: what it accepts is what openPgDatabase can connect with,
    // including libpq's forms such as postgres:///db (the local socket) and ?host=/run/postgresql.
    parseConnectionString(trimmed)
  } catch {
    throw new UsageError(`${name} ${redactUrl(trimmed)} is not a valid PostgreSQL URL; expected postgres://user:password@host:5432/database.`)
  }
  return {engine: 'postgres', url: trimmed}
}

/** Where the store lives: `--db`, else `ATTEND_DB`, else `attend.db` in the CLI's data directory. */
export function resolveStoreLocation(flag: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): ResolvedStoreLocation {
  if (flag) return {...parseStoreLocation(flag, '--db'), from: 'flag'}
  if (env.ATTEND_DB) return {...parseStoreLocation(env.ATTEND_DB, 'ATTEND_DB'), from: 'env'}
  return {engine: 'sqlite', path: path.join(dataDir, 'attend.db'), from: 'default'}
}

/** The location as shown to people: the file path, or the URL without its password. */
export function describeLocation(location: StoreLocation): string {
  return location.engine === 'sqlite' ? location.path : redactUrl(location.url)
}

/** A connection URL with its password (if any) replaced, for messages and listings. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value)
    if (url.password) url.password = '***'
    for (const key of [...url.searchParams.keys()]) if (/^pass(word)?$/i.test(key)) url.searchParams.set(key, '***')
    return url.toString()
  } catch {
    // Not parseable: hide anything between "://user:" and "@", the usual place of a password.
    return value.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@')
  }
}

const ORIGIN: Record<ResolvedStoreLocation['from'], string> = {flag: ' (from --db)', env: ' (from ATTEND_DB)', default: ''}

/** Refuses a store file that does not exist (exit 2), naming the path and where it came from. */
export function assertStoreExists(location: Extract<ResolvedStoreLocation, {engine: 'sqlite'}>): void {
  if (location.path === ':memory:' || fs.existsSync(location.path)) return
  throw new UsageError(
    `No attend store at ${location.path}${ORIGIN[location.from]}: check the path, or create the store with attend init${location.from === 'flag' ? ` --db ${location.path}` : ''}.`,
    'store_missing',
  )
}
