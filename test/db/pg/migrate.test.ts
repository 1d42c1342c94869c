import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import {afterEach, expect, it} from 'vitest'

import {loadMigrations, migrationNames, schemaVersion} from '../../../src/db/migrate.js'
import {pgMigrationsFolder} from '../../../src/db/migrations-dir.js'
import {applyPgMigrations, appliedPgMigrations} from '../../../src/db/pg/migrate.js'
import {openPgDatabase} from '../../../src/db/pg/open.js'
import {attendTypes} from '../../../src/db/pg/types.js'
import {tempDir} from '../../helpers/cli.js'
import {createDatabase, describePg, dropDatabase} from '../../helpers/pg.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function database(): Promise<string> {
  const created = await createDatabase()
  cleanups.push(() => dropDatabase(created.name))
  return created.url
}

function pool(url: string): pg.Pool {
  const p = new pg.Pool({connectionString: url, types: attendTypes, max: 2})
  // A connection still closing when the database is dropped (WITH FORCE) gets the server's
  // "terminating connection" on the pool, after its test: not this test's failure.
  p.on('error', () => undefined)
  cleanups.push(() => p.end())
  return p
}

async function tableNames(p: pg.Pool): Promise<string[]> {
  const rows = await p.query<{name: string}>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)
  return rows.rows.map((r) => r.name)
}

describePg('PostgreSQL migrations', () => {
  it('create the whole schema once; a second run applies nothing', async () => {
    const p = pool(await database())
    const known = loadMigrations(pgMigrationsFolder).length
    expect(await applyPgMigrations(p)).toBe(known)
    expect(await applyPgMigrations(p)).toBe(0)
    expect(await tableNames(p)).toEqual(expect.arrayContaining(['punches', 'employees', 'attendance_days', 'store_revisions']))
    const applied = await appliedPgMigrations(p)
    expect(applied).toHaveLength(known)
    expect(schemaVersion(applied, pgMigrationsFolder)).toEqual({applied: known, known, latest: migrationNames(pgMigrationsFolder).at(-1)!.tag, newer: 0})
  })

  it('are applied once when several processes open a fresh database together', async () => {
    const url = await database()
    // Eight servers starting at once, each with its own connections: without the advisory lock
    // they all see an empty journal and all but one fail on tables that already exist.
    const results = await Promise.allSettled(Array.from({length: 8}, () => applyPgMigrations(pool(url))))
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const counts = results.map((r) => (r.status === 'fulfilled' ? r.value : -1))
    expect(counts.filter((n) => n > 0)).toEqual([loadMigrations(pgMigrationsFolder).length])
    expect(await appliedPgMigrations(pool(url))).toHaveLength(loadMigrations(pgMigrationsFolder).length)
  })

  it('leave the database as it was when a migration fails half-way', async () => {
    const url = await database()
    const {dir, cleanup} = tempDir()
    cleanups.push(cleanup)
    // The shipped migrations plus one that creates a table and then fails.
    fs.cpSync(pgMigrationsFolder, dir, {recursive: true})
    const journalFile = path.join(dir, 'meta', '_journal.json')
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as {entries: {idx: number; when: number; tag: string}[]}
    const last = journal.entries.at(-1)!
    journal.entries.push({...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken'})
    fs.writeFileSync(journalFile, JSON.stringify(journal))
    fs.writeFileSync(path.join(dir, '9999_broken.sql'), 'CREATE TABLE "half_done" (id integer);--> statement-breakpoint\nSELECT 1/0;')
    const p = pool(url)
    await expect(applyPgMigrations(p, {folder: dir})).rejects.toThrow(/division by zero/)
    expect(await tableNames(p)).toEqual([])
    expect(await appliedPgMigrations(p)).toEqual([])
    // The shipped ones alone still apply.
    expect(await applyPgMigrations(p)).toBe(loadMigrations(pgMigrationsFolder).length)
  })

  it('say when the database was migrated by a newer attend', async () => {
    const p = pool(await database())
    await applyPgMigrations(p)
    const applied = await appliedPgMigrations(p)
    const future = applied.at(-1)! + 60_000
    await p.query(`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('x', $1)`, [future])
    const version = schemaVersion(await appliedPgMigrations(p), pgMigrationsFolder)
    expect(version).toMatchObject({applied: applied.length + 1, latest: null, newer: 1})
  })

  it('name the database that does not exist, without its password', async () => {
    const url = new URL(await database())
    url.pathname = '/attend_no_such_database'
    url.password = 'secret-word'
    const error = await openPgDatabase(url.toString()).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    )
    expect(error.message).toMatch(/^The database of postgres:\/\/postgres:\*\*\*@.*\/attend_no_such_database does not exist/)
    expect(error.message).not.toContain('secret-word')
  })
})
