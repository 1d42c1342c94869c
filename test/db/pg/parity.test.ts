import {getTableColumns, getTableName, is, Table} from 'drizzle-orm'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {openStore, type Store} from '../../../src/db/open.js'
import {openPgDatabase, type PgDatabase} from '../../../src/db/pg/open.js'
import * as pgTables from '../../../src/db/pg/schema.js'
import * as sqliteTables from '../../../src/db/schema.js'
import {describePg, usePgDatabase} from '../../helpers/pg.js'
import {pgSchema, sqliteSchema, type LiveSchema} from './introspect.js'

/**
 * The two engines hold the same store: after all migrations, the live SQLite and PostgreSQL schemas
 * have the same tables, columns (and their nullability), primary keys, foreign keys, uniques and
 * indexes (partial ones with the same condition), and revision triggers of the same names. A table
 * or index added to one schema only fails here (docs/architecture.md, "PostgreSQL").
 */
describePg('the SQLite and PostgreSQL schemas', () => {
  const database = usePgDatabase()
  let store: Store
  let postgres: PgDatabase
  let sqlite: LiveSchema
  let pg: LiveSchema

  beforeAll(async () => {
    store = openStore(':memory:')
    postgres = await openPgDatabase(database.url)
    sqlite = sqliteSchema(store.sqlite)
    pg = await pgSchema(postgres.pool)
  })
  afterAll(async () => {
    store?.close()
    await postgres?.close()
  })

  it('have the same tables', () => {
    expect(Object.keys(pg.columns).sort()).toEqual(Object.keys(sqlite.columns).sort())
    expect(Object.keys(sqlite.columns)).toContain('punches')
  })

  it('have the same columns, nullable alike', () => {
    for (const table of Object.keys(sqlite.columns)) {
      expect({table, columns: pg.columns[table]}).toEqual({table, columns: sqlite.columns[table]})
    }
  })

  it('have the same primary and foreign keys', () => {
    expect(pg.primaryKeys).toEqual(sqlite.primaryKeys)
    expect(pg.foreignKeys).toEqual(sqlite.foreignKeys)
    expect(sqlite.foreignKeys).toContain('punches.employee_id → employees.id')
  })

  it('have the same uniques and indexes, partial ones with the same condition', () => {
    expect(pg.indexes).toEqual(sqlite.indexes)
    expect(sqlite.indexes.employees_code_unique).toEqual({table: 'employees', unique: true, keys: ['lower(code)'], where: null})
    expect(sqlite.indexes.punches_employee_instant_idx.where).toBe('employee_id is not null')
  })

  it('have the same revision triggers', () => {
    expect([...pg.triggers].sort()).toEqual([...sqlite.triggers].sort())
    expect(sqlite.triggers.length).toBeGreaterThan(20)
  })

  it('are declared alike: every table under the same export name, every column under the same key', () => {
    // attend db copy pairs the tables and the columns by name; the same keys keep the two
    // declarations readable side by side.
    const declared = (module: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(module)
          .filter(([, value]) => is(value, Table))
          .map(([key, value]) => {
            const table = value as Table
            return [key, {table: getTableName(table), columns: Object.entries(getTableColumns(table)).map(([k, c]) => `${k}: ${c.name}`).sort()}]
          }),
      )
    expect(declared(pgTables)).toEqual(declared(sqliteTables))
    expect(Object.keys(declared(sqliteTables))).toContain('punches')
  })
})
