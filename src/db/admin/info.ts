import {describeLocation, type StoreLocation} from '../location.js'
import {schemaVersion, type SchemaVersion} from '../migrate.js'
import {storeTables} from '../tables.js'
import {openEnd} from './open-end.js'

export interface StoreInfo {
  engine: 'sqlite' | 'postgres'
  /** The engine's version: SQLite's library, or the PostgreSQL server's. */
  engineVersion: string
  /** The file path, or the URL without its password. */
  location: string
  sizeBytes: number
  schema: SchemaVersion & {upToDate: boolean}
  /** Every table of the schema this attend knows, by name; rows null when the store lacks the table. */
  tables: {table: string; rows: number | null}[]
  rows: number
}

/**
 * What `attend db info` shows: the engine, the schema version (which migrations the store's journal
 * holds) and the rows of every table. Only looks: nothing is created or migrated, so it also
 * describes a store at an older version, or one a newer attend has migrated.
 */
export async function storeInfo(location: StoreLocation): Promise<StoreInfo> {
  const end = await openEnd(location, 'inspect')
  try {
    const version = schemaVersion(await end.appliedMigrations(), end.migrationsFolder)
    const tables: StoreInfo['tables'] = []
    for (const table of [...storeTables].sort((a, b) => a.name.localeCompare(b.name))) tables.push({table: table.name, rows: await end.count(table)})
    return {
      engine: end.engine,
      engineVersion: await end.engineVersion(),
      location: describeLocation(end.location),
      sizeBytes: await end.sizeBytes(),
      schema: {...version, upToDate: version.applied === version.known && version.newer === 0 && version.latest !== null},
      tables,
      rows: tables.reduce((sum, t) => sum + (t.rows ?? 0), 0),
    }
  } finally {
    await end.close()
  }
}
