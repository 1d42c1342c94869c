import {getTableColumns, getTableName, is, Table, type Column} from 'drizzle-orm'
import {getTableConfig as pgTableConfig, PgTable, type PgColumn} from 'drizzle-orm/pg-core'
import {getTableConfig as sqliteTableConfig, SQLiteTable, type SQLiteColumn} from 'drizzle-orm/sqlite-core'

import * as pgSchema from './pg/schema.js'
import * as sqliteSchema from './schema.js'

/** One column of a store table, by its SQL name, with its property in each declaration. */
export interface StoreColumn {
  name: string
  sqliteKey: string
  pgKey: string
  /** The declarations, for their type and their mapping between driver and app values. */
  sqlite: SQLiteColumn
  pg: PgColumn
}

/** One table of the store as both engines declare it (test/db/pg/parity.test.ts keeps them alike). */
export interface StoreTable {
  name: string
  sqlite: SQLiteTable
  pg: PgTable
  columns: StoreColumn[]
  /** The primary key's column (every attend table has a one-column key); rows are read in its order. */
  key: StoreColumn
  /** Whether the key is an id the engine hands out (AUTOINCREMENT, an identity column). */
  generatedKey: boolean
  /** The tables its foreign keys point at. */
  references: string[]
}

/** The table whose rows are the engine's own bookkeeping, rewritten rather than copied. */
export const REVISIONS_TABLE = 'store_revisions'

function declaredTables<T extends Table>(module: Record<string, unknown>, isKind: (value: unknown) => value is T): Map<string, T> {
  const tables = new Map<string, T>()
  for (const value of Object.values(module)) if (isKind(value)) tables.set(getTableName(value), value)
  return tables
}

function columnsByName(table: Table): Map<string, {key: string; column: Column}> {
  return new Map(Object.entries(getTableColumns(table)).map(([key, column]) => [column.name, {key, column}]))
}

function pair(name: string, sqlite: SQLiteTable, pg: PgTable): StoreTable {
  const sqliteColumns = columnsByName(sqlite)
  const pgColumns = columnsByName(pg)
  const columns: StoreColumn[] = []
  for (const [columnName, {key, column}] of sqliteColumns) {
    const twin = pgColumns.get(columnName)
    if (!twin) throw new Error(`Column ${name}.${columnName} is declared for SQLite only (src/db/pg/schema.ts lacks it).`)
    columns.push({name: columnName, sqliteKey: key, pgKey: twin.key, sqlite: column as SQLiteColumn, pg: twin.column as PgColumn})
  }
  for (const columnName of pgColumns.keys()) {
    if (!sqliteColumns.has(columnName)) throw new Error(`Column ${name}.${columnName} is declared for PostgreSQL only (src/db/schema.ts lacks it).`)
  }
  const primary = [...sqliteColumns.values()].filter(({column}) => column.primary)
  if (primary.length !== 1) throw new Error(`Table ${name} has no one-column primary key.`)
  const key = columns.find((c) => c.sqliteKey === primary[0].key)!
  const config = sqliteTableConfig(sqlite)
  return {
    name,
    sqlite,
    pg,
    columns,
    key,
    generatedKey: Boolean((pgColumns.get(key.name)?.column as {generatedIdentity?: unknown} | undefined)?.generatedIdentity),
    references: [...new Set(config.foreignKeys.map((fk) => getTableName(fk.reference().foreignTable)))].sort(),
  }
}

/** Referenced tables first (ties by name), so rows can be inserted in this order with foreign keys on. */
function dependencyOrder(tables: StoreTable[]): StoreTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const ordered: StoreTable[] = []
  const placed = new Set<string>()
  const visit = (table: StoreTable, path: string[]) => {
    if (placed.has(table.name)) return
    if (path.includes(table.name)) throw new Error(`Foreign keys form a cycle: ${[...path, table.name].join(' → ')}.`)
    for (const ref of table.references) if (ref !== table.name) visit(byName.get(ref)!, [...path, table.name])
    placed.add(table.name)
    ordered.push(table)
  }
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, [])
  return ordered
}

function storeTablesOf(): StoreTable[] {
  const sqlite = declaredTables(sqliteSchema, (value): value is SQLiteTable => is(value, SQLiteTable))
  const pg = declaredTables(pgSchema, (value): value is PgTable => is(value, PgTable))
  for (const name of pg.keys()) if (!sqlite.has(name)) throw new Error(`Table ${name} is declared for PostgreSQL only (src/db/schema.ts lacks it).`)
  const tables = [...sqlite].map(([name, table]) => {
    const twin = pg.get(name)
    if (!twin) throw new Error(`Table ${name} is declared for SQLite only (src/db/pg/schema.ts lacks it).`)
    // Read here so a declaration Drizzle cannot use fails now, not in the middle of a copy.
    pgTableConfig(twin)
    return pair(name, table, twin)
  })
  return dependencyOrder(tables)
}

/** Every table of the store, referenced tables first. */
export const storeTables: readonly StoreTable[] = storeTablesOf()
