import fs from 'node:fs'

import {AttendError, UsageError} from '../../errors.js'
import {describeLocation, type StoreLocation} from '../location.js'
import {schemaVersion} from '../migrate.js'
import {REVISIONS_TABLE, storeTables, type StoreTable} from '../tables.js'
import type {StoreEnd} from './end.js'
import {openEnd} from './open-end.js'

export interface CopyProgress {
  table: string
  copied: number
  total: number
  /** True once, when the table is complete. */
  done: boolean
}

export interface CopyOptions {
  /** Replace what the target holds (else a target with rows is refused). */
  force?: boolean
  /** Rows per batch (default 5 000). */
  batchRows?: number
  onProgress?: (progress: CopyProgress) => void
}

export interface CopyEndSummary {
  engine: 'sqlite' | 'postgres'
  location: string
}

export interface CopyResult {
  from: CopyEndSummary
  to: CopyEndSummary
  /** Every table in the order copied, with its rows (the same on both sides: verified). */
  tables: {table: string; rows: number}[]
  rows: number
  /** Whether the target held rows that --force replaced. */
  replaced: boolean
  durationMs: number
}

/**
 * Rows read and written per round trip: each end binds a batch as one value per column (see the
 * ends' insert), so no statement limit applies; 5 000 rows of the widest table are a few MB.
 */
const BATCH_ROWS = 5000

/**
 * Copies a whole store to another, SQLite or PostgreSQL either way (docs/architecture.md,
 * "PostgreSQL"). Both are migrated to this attend's schema first and must then be at the same
 * version. The source is read in one snapshot, so a server may keep writing to it; the target is
 * written in one transaction: emptied first with `force` (else a target with rows is refused),
 * filled table by table in dependency order and in batches with the source's ids, its id counters
 * moved to the source's, its store revisions renewed (every cache over it reloads), and its row
 * counts compared with the source's before anything is committed. A failure leaves it as it was.
 */
export async function copyStore(from: StoreLocation, to: StoreLocation, options: CopyOptions = {}): Promise<CopyResult> {
  const started = Date.now()
  if (sameStore(from, to)) throw new UsageError(`--from and --to name the same store (${describeLocation(from)}).`)
  const source = await openEnd(from, 'source')
  // A SQLite file the copy creates is removed again when the copy fails: nothing is left behind.
  const newFile = to.engine === 'sqlite' && to.path !== ':memory:' && !fs.existsSync(to.path) ? to.path : undefined
  let target: StoreEnd | undefined
  let committed = false
  try {
    target = await openEnd(to, 'target')
    await checkVersions(source, target)
    await source.snapshot()
    const totals = new Map<string, number>()
    for (const table of storeTables) totals.set(table.name, (await source.count(table)) ?? 0)
    const counters = await source.sequences()

    await target.write()
    const replaced = await makeRoom(target, Boolean(options.force))
    for (const table of storeTables) {
      if (table.name === REVISIONS_TABLE) continue
      await copyTable(source, target, table, {total: totals.get(table.name)!, counter: counters.get(table.name) ?? 0}, options)
    }
    await copyRevisions(source, target, totals, options)
    await verifyCounts(target, totals)
    await target.commit()
    committed = true

    const tables = storeTables.map((t) => ({table: t.name, rows: totals.get(t.name)!}))
    return {
      from: {engine: source.engine, location: describeLocation(source.location)},
      to: {engine: target.engine, location: describeLocation(target.location)},
      tables,
      rows: tables.reduce((sum, t) => sum + t.rows, 0),
      replaced,
      durationMs: Date.now() - started,
    }
  } finally {
    await target?.close()
    await source.close()
    if (newFile && !committed) for (const file of [newFile, `${newFile}-wal`, `${newFile}-shm`]) fs.rmSync(file, {force: true})
  }
}

function sameStore(a: StoreLocation, b: StoreLocation): boolean {
  if (a.engine === 'sqlite' && b.engine === 'sqlite') return a.path === b.path
  if (a.engine === 'postgres' && b.engine === 'postgres') {
    const key = (url: string) => {
      const u = new URL(url)
      return `${u.hostname || u.searchParams.get('host') || 'localhost'}:${u.port || '5432'}${u.pathname}`
    }
    try {
      return key(a.url) === key(b.url)
    } catch {
      return a.url === b.url
    }
  }
  return false
}

async function checkVersions(source: StoreEnd, target: StoreEnd): Promise<void> {
  for (const end of [source, target]) {
    const version = schemaVersion(await end.appliedMigrations(), end.migrationsFolder)
    if (version.newer > 0 || version.applied !== version.known) {
      throw new AttendError(
        `${describeLocation(end.location)} is at a schema this attend does not know (${version.applied} migrations applied, ${version.known} known): copy it with the attend that migrated it.`,
        {code: 'schema_version'},
      )
    }
  }
}

/** Refuses a target with rows unless `force`; with it, empties the target. Returns whether it held rows. */
async function makeRoom(target: StoreEnd, force: boolean): Promise<boolean> {
  const held: string[] = []
  for (const table of storeTables) {
    if (table.name === REVISIONS_TABLE) continue
    const rows = (await target.count(table)) ?? 0
    if (rows > 0) held.push(`${table.name}: ${rows}`)
  }
  if (held.length === 0) return false
  if (!force) {
    const shown = held.length > 4 ? [...held.slice(0, 4), `${held.length - 4} more tables`] : held
    throw new AttendError(
      `The target ${describeLocation(target.location)} is not empty (${shown.join(', ')}); pass --force to replace everything it holds.`,
      {code: 'target_not_empty'},
    )
  }
  await target.empty(storeTables.filter((t) => t.name !== REVISIONS_TABLE))
  return true
}

async function copyTable(
  source: StoreEnd,
  target: StoreEnd,
  table: StoreTable,
  {total, counter}: {total: number; counter: number},
  options: CopyOptions,
): Promise<void> {
  const batch = options.batchRows ?? BATCH_ROWS
  let copied = 0
  let after: unknown
  options.onProgress?.({table: table.name, copied, total, done: false})
  for (;;) {
    const rows = await source.read(table, after, batch)
    if (rows.length === 0) break
    try {
      await target.insert(table, rows)
    } catch (error) {
      const first = rows[0][table.key.name]
      const last = rows.at(-1)![table.key.name]
      throw new AttendError(
        `Copying ${table.name} failed in the rows with ${table.key.name} ${String(first)} to ${String(last)}: ${driverMessage(error)}; the target is unchanged.`,
        {code: 'copy_failed', cause: error},
      )
    }
    copied += rows.length
    after = rows.at(-1)![table.key.name]
    options.onProgress?.({table: table.name, copied, total, done: false})
  }
  if (table.generatedKey) {
    // The next id continues after the source's: its counter (ids of deleted rows are not handed
    // out again) or the highest id copied, whichever is higher.
    await target.setSequence(table, Math.max(counter, typeof after === 'number' ? after : 0))
  }
  options.onProgress?.({table: table.name, copied, total, done: true})
}

/** The revisions are the target's own: the same scopes as the source, with new values. */
async function copyRevisions(source: StoreEnd, target: StoreEnd, totals: Map<string, number>, options: CopyOptions): Promise<void> {
  const table = storeTables.find((t) => t.name === REVISIONS_TABLE)!
  const scopes: string[] = []
  let after: unknown
  for (;;) {
    const rows = await source.read(table, after, 1000)
    if (rows.length === 0) break
    scopes.push(...rows.map((r) => String(r.scope)))
    after = rows.at(-1)!.scope
  }
  await target.renewRevisions(scopes)
  totals.set(REVISIONS_TABLE, scopes.length)
  options.onProgress?.({table: REVISIONS_TABLE, copied: scopes.length, total: scopes.length, done: true})
}

async function verifyCounts(target: StoreEnd, totals: Map<string, number>): Promise<void> {
  const wrong: string[] = []
  for (const table of storeTables) {
    const rows = (await target.count(table)) ?? 0
    if (rows !== totals.get(table.name)) wrong.push(`${table.name}: ${rows} rows, the source has ${totals.get(table.name)}`)
  }
  if (wrong.length > 0) {
    throw new AttendError(`The copy does not match the source (${wrong.join('; ')}); nothing was written to ${describeLocation(target.location)}.`, {code: 'copy_mismatch'})
  }
}

/**
 * The database's own words: Drizzle wraps a driver error in "Failed query: <sql> params: <values>",
 * which would print whole rows (token hashes among them) into the message.
 */
function driverMessage(error: unknown): string {
  let current = error
  while (current instanceof Error && current.cause instanceof Error) current = current.cause
  return current instanceof Error ? current.message : String(current)
}
