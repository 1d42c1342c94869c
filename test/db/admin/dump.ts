import Database from 'better-sqlite3'
import pg from 'pg'

import {attendTypes} from '../../../src/db/pg/types.js'
import {storeTables} from '../../../src/db/tables.js'

/** Every row of every table, read with the drivers alone (not the code under test), key order. */
export type Dump = Record<string, Record<string, unknown>[]>

/** In key order, the same for both engines (their text collations differ). */
function byKey(rows: Record<string, unknown>[], key: string): Record<string, unknown>[] {
  return [...rows].sort((a, b) => ((a[key] as number | string) < (b[key] as number | string) ? -1 : 1))
}

/** Booleans as SQLite stores them, so both engines' dumps compare equal when the data is the same. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]))
}

/** The revisions are renewed by a copy: only their scopes must match. */
function withoutRevisionValues(table: string, row: Record<string, unknown>): Record<string, unknown> {
  return table === 'store_revisions' ? {scope: row.scope} : row
}

export function dumpSqlite(file: string): Dump {
  const db = new Database(file, {readonly: true})
  try {
    return Object.fromEntries(
      storeTables.map((t) => [
        t.name,
        byKey(db.prepare(`SELECT * FROM "${t.name}"`).all() as Record<string, unknown>[], t.key.name).map((r) => withoutRevisionValues(t.name, plain(r))),
      ]),
    )
  } finally {
    db.close()
  }
}

export async function dumpPg(url: string): Promise<Dump> {
  const client = new pg.Client({connectionString: url, types: attendTypes})
  await client.connect()
  try {
    const dump: Dump = {}
    for (const t of storeTables) {
      const {rows} = await client.query(`SELECT * FROM "${t.name}"`)
      dump[t.name] = byKey(rows as Record<string, unknown>[], t.key.name).map((r) => withoutRevisionValues(t.name, plain(r)))
    }
    return dump
  } finally {
    await client.end()
  }
}

export function rowCounts(dump: Dump): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.length]))
}
