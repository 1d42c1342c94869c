import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {StoreInfo} from '../../src/db/admin/info.js'
import type {CopyResult} from '../../src/db/admin/copy.js'
import {applyMigrations, loadMigrations} from '../../src/db/migrate.js'
import {attendTypes} from '../../src/db/pg/types.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {createDatabase, databaseUrl, describePg, dropDatabase, usePgDatabase} from '../helpers/pg.js'
import {dumpPg, dumpSqlite, rowCounts} from '../db/admin/dump.js'
import {populatedStore} from '../db/admin/populated-store.js'

let site: Awaited<ReturnType<typeof populatedStore>>
beforeAll(async () => {
  site = await populatedStore()
}, 120_000)
afterAll(() => site?.cleanup())

const attend = (...args: string[]) => runAttend(args, {env: {ATTEND_NOW: '2026-03-12T15:00:00Z'}})

describe('attend db info on SQLite', () => {
  it('prints the engine, the schema version and the rows of every table', async () => {
    const result = await attend('db', 'info', '--db', site.db)
    expect(result.exitCode).toBe(0)
    const known = loadMigrations().length
    expect(result.stdout).toMatch(/^Engine: {2}SQLite \d+\.\d+\.\d+\n/)
    expect(result.stdout).toContain(`Store:   ${site.db} (`)
    expect(result.stdout).toMatch(new RegExp(`Schema: {2}${known} of ${known} migrations applied \\(latest \\d{4}_\\w+\\), up to date`))
    const counts = rowCounts(dumpSqlite(site.db))
    expect(result.stdout).toMatch(new RegExp(`\\nemployees\\s+${counts.employees}\\n`))
    expect(result.stdout).toMatch(new RegExp(`\\npunches\\s+${counts.punches}\\n`))
    expect(result.stdout).toMatch(/\nTotal\s+\d+\n$/)
  })

  it('gives the same with --json, one entry per table', async () => {
    const info = await runJson<StoreInfo>(['db', 'info', '--db', site.db])
    const counts = rowCounts(dumpSqlite(site.db))
    expect(info).toMatchObject({engine: 'sqlite', location: site.db, schema: {applied: loadMigrations().length, upToDate: true, newer: 0}})
    expect(Object.fromEntries(info.tables.map((t) => [t.table, t.rows]))).toEqual(counts)
    expect(info.rows).toBe(Object.values(counts).reduce((a, b) => a + b, 0))
    expect(counts.punches).toBeGreaterThan(5)
  })

  it('describes a store at an older schema version and leaves it there', async () => {
    const {dir, cleanup} = tempDir()
    try {
      const file = path.join(dir, 'old.db')
      const sqlite = new Database(file)
      applyMigrations(sqlite, {upTo: 2})
      sqlite.close()
      const info = await runJson<StoreInfo>(['db', 'info', '--db', file])
      expect(info.schema).toMatchObject({applied: 3, known: loadMigrations().length, upToDate: false})
      expect(info.tables.find((t) => t.table === 'device_pulls')?.rows).toBeNull()
      const text = await attend('db', 'info', '--db', file)
      expect(text.stdout).toMatch(/Schema: {2}3 of \d+ migrations applied \(latest 0002_\w+\); attend applies the rest when it next opens the store/)
      expect(text.stdout).toMatch(/\ndevice_pulls\s+missing\n/)
      const check = new Database(file, {readonly: true})
      expect(check.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(3)
      check.close()
    } finally {
      cleanup()
    }
  })

  it('names a store file that does not exist, and creates none', async () => {
    const missing = path.join(site.dir, 'nope.db')
    const result = await attend('db', 'info', '--db', missing)
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toContain(`No store at ${missing}: the file does not exist.`)
    expect(fs.existsSync(missing)).toBe(false)
  })
})

describe('attend db copy between SQLite files', () => {
  it('copies every row with its id into a new file, and refuses to copy onto itself', async () => {
    const target = path.join(site.dir, 'copy.db')
    const result = await runJson<CopyResult>(['db', 'copy', '--from', site.db, '--to', target])
    expect(result).toMatchObject({from: {engine: 'sqlite', location: site.db}, to: {engine: 'sqlite', location: target}, replaced: false})
    expect(dumpSqlite(target)).toEqual(dumpSqlite(site.db))
    const same = await attend('db', 'copy', '--from', site.db, '--to', site.db)
    expect(same.exitCode).toBe(2)
    expect(errorText(same.stderr)).toContain(`--from and --to name the same store (${site.db}).`)
  })

  it('takes the store of --db (or ATTEND_DB) when --from is not given', async () => {
    const target = path.join(site.dir, 'default-from.db')
    const result = await runAttend(['db', 'copy', '--to', target], {env: {ATTEND_DB: site.db}})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`Copied \\d+ rows in \\d+ tables from ${site.db} \\(SQLite\\) to ${target} \\(SQLite\\) in [\\d.]+ s; row counts verified\\.`))
    expect(dumpSqlite(target)).toEqual(dumpSqlite(site.db))
  })
})

describePg('attend db on PostgreSQL', () => {
  const database = usePgDatabase()

  it('db info on a new database: PostgreSQL, no migrations, no tables', async () => {
    const result = await attend('db', 'info', '--db', database.url)
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^Engine: {2}PostgreSQL \d+\.\d+/)
    expect(result.stdout).toContain(`Store:   ${database.url} (`)
    expect(result.stdout).toContain('Schema:  no migrations applied (3 migrations known): not an attend store yet')
    expect(result.stdout).toMatch(/\npunches\s+missing\n/)
  })

  it('copies the SQLite store to PostgreSQL: every table, every row, every id', async () => {
    const result = await runAttend(['db', 'copy', '--from', site.db, '--to', database.url])
    expect(result.exitCode).toBe(0)
    const source = dumpSqlite(site.db)
    // The webhooks outbox and its history travel with the store (an event per change, a refused attempt).
    for (const table of ['webhooks', 'webhook_events', 'webhook_deliveries', 'webhook_attempts']) expect(source[table].length, table).toBeGreaterThan(0)
    // A line per table as it completes, then the summary.
    for (const [table, rows] of Object.entries(source)) {
      expect(result.stdout).toMatch(new RegExp(`(^|\\n) {2}${table}\\s+${rows.length} rows?\\n`))
    }
    expect(result.stdout).toContain(`to ${database.url} (PostgreSQL)`)
    expect(await dumpPg(database.url)).toEqual(source)
  })

  it('db info on PostgreSQL counts what SQLite counts, schema up to date', async () => {
    const info = await runJson<StoreInfo>(['db', 'info', '--db', database.url])
    expect(info).toMatchObject({engine: 'postgres', location: database.url, schema: {applied: 3, known: 3, upToDate: true}})
    expect(Object.fromEntries(info.tables.map((t) => [t.table, t.rows]))).toEqual(rowCounts(dumpSqlite(site.db)))
  })

  it('moves the id counters past the source’s, deleted rows included', async () => {
    const client = new pg.Client({connectionString: database.url, types: attendTypes})
    await client.connect()
    try {
      const {rows} = await client.query(`SELECT last_value FROM punches_id_seq`)
      expect(rows[0].last_value).toBe(site.removedPunchId)
      const max = await client.query(`SELECT max(id) AS max FROM punches`)
      expect(max.rows[0].max).toBeLessThan(site.removedPunchId)
    } finally {
      await client.end()
    }
  })

  it('refuses to copy into it again, naming what it holds, and leaves it unchanged', async () => {
    const before = await dumpPg(database.url)
    const result = await attend('db', 'copy', '--from', site.db, '--to', database.url)
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toMatch(new RegExp(`^Error: The target ${escape(database.url)} is not empty \\(\\w+: \\d+, .*\\); pass --force to replace everything it holds\\.$`))
    const json = await runAttend(['db', 'copy', '--from', site.db, '--to', database.url, '--json'], {})
    expect(JSON.parse(json.stdout)).toMatchObject({error: {code: 'target_not_empty', exit: 1}})
    expect(await dumpPg(database.url)).toEqual(before)
  })

  it('--force replaces it with the source as it is now', async () => {
    const added = await runAttend(['employees', 'add', '--code', 'EMP050', '--name', 'Zawadi Njeri', '--department', 'Library'], {env: site.env})
    expect(added.exitCode).toBe(0)
    const result = await runJson<CopyResult>(['db', 'copy', '--from', site.db, '--to', database.url, '--force'])
    expect(result.replaced).toBe(true)
    const source = dumpSqlite(site.db)
    expect(await dumpPg(database.url)).toEqual(source)
    expect(result.tables.find((t) => t.table === 'employees')?.rows).toBe(source.employees.length)
  })

  it('copies PostgreSQL back to a new SQLite file that the CLI uses as before, ids continuing', async () => {
    const back = path.join(site.dir, 'back.db')
    const result = await runJson<CopyResult>(['db', 'copy', '--from', database.url, '--to', back])
    expect(result).toMatchObject({from: {engine: 'postgres'}, to: {engine: 'sqlite', location: back}})
    expect(dumpSqlite(back)).toEqual(dumpSqlite(site.db))

    const env = {ATTEND_DB: back, ATTEND_NOW: '2026-03-12T15:00:00Z'}
    const report = await runAttend(['report', 'daily', '--date', '2026-03-09', '--json'], {env})
    const original = await runAttend(['report', 'daily', '--date', '2026-03-09', '--json'], {env: site.env})
    expect(report.exitCode).toBe(0)
    expect(JSON.parse(report.stdout)).toEqual(JSON.parse(original.stdout))
    const punch = await runJson<{id: number}>(['punches', 'add', 'EMP002', '--at', '2026-03-12 08:00'], {env})
    expect(punch.id).toBe(site.removedPunchId + 1)
  })

  it('copies from PostgreSQL to another PostgreSQL database', async () => {
    const other = await createDatabase()
    try {
      await runJson<CopyResult>(['db', 'copy', '--from', database.url, '--to', other.url])
      expect(await dumpPg(other.url)).toEqual(await dumpPg(database.url))
    } finally {
      await dropDatabase(other.name)
    }
  })

  it('names a database that does not exist, without its password', async () => {
    const url = new URL(databaseUrl('attend_missing_db'))
    url.password = 'pa55word'
    const result = await attend('db', 'copy', '--from', site.db, '--to', url.toString())
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toMatch(/The database of postgres:\/\/postgres:\*\*\*@[\d.:]+\/attend_missing_db does not exist/)
    expect(result.stderr).not.toContain('pa55word')
  })

  it('is refused in one sentence by commands that do not run on PostgreSQL yet, and never becomes a file', async () => {
    const {dir, cleanup} = tempDir()
    try {
      // `attend backup` copies a SQLite file (the directory commands run on PostgreSQL now).
      const result = await runAttend(['backup', 'copy.db'], {env: {ATTEND_DB: database.url}, cwd: dir})
      expect(result.exitCode).toBe(1)
      expect(errorText(result.stderr)).toContain(`attend backup copies a SQLite store file; this store is PostgreSQL (${database.url}). Back it up with pg_dump.`)
      expect(fs.readdirSync(dir)).toEqual([])
    } finally {
      cleanup()
    }
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
