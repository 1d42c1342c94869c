import type {StoreLocation} from '../location.js'
import type {StoreTable} from '../tables.js'

/** A row by column name (not by Drizzle property), with the values the app sees (booleans, numbers). */
export type Row = Record<string, unknown>

/**
 * What `db info` and `db copy` open a store for: `inspect` changes nothing (no migration, a SQLite
 * file must exist), `source` must exist and is migrated like any store attend opens, `target` is
 * created if it is a new SQLite file, and migrated.
 */
export type EndPurpose = 'inspect' | 'source' | 'target'

/**
 * One store, SQLite or PostgreSQL, as the whole-store operations see it: counts, migrations, and
 * rows read and written table by table. Only src/db/admin uses it; the domain goes through the
 * store and its services.
 */
export interface StoreEnd {
  readonly location: StoreLocation
  readonly engine: 'sqlite' | 'postgres'
  readonly migrationsFolder: string
  /** The engine's version, e.g. `3.50.4` or `15.18`. */
  engineVersion(): Promise<string>
  /** The file (and its WAL), or the database, in bytes. */
  sizeBytes(): Promise<number>
  /** The `created_at` of every migration in the store's journal. */
  appliedMigrations(): Promise<number[]>
  /** Rows in `table`; null when the table does not exist (a store at an older schema). */
  count(table: StoreTable): Promise<number | null>
  /** From here on, every read sees the store as it was at this moment (a read transaction). */
  snapshot(): Promise<void>
  /** Up to `limit` rows with a key after `after` (from the first when undefined), in key order. */
  read(table: StoreTable, after: unknown, limit: number): Promise<Row[]>
  /** Starts the one write transaction that everything until commit() runs in. */
  write(): Promise<void>
  /** Deletes every row of `tables` (given referenced-first) and resets their id counters. */
  empty(tables: readonly StoreTable[]): Promise<void>
  insert(table: StoreTable, rows: Row[]): Promise<void>
  /** The highest id each generated-key table has handed out (deleted rows included). */
  sequences(): Promise<Map<string, number>>
  /** Makes the next id of `table` follow `value`. */
  setSequence(table: StoreTable, value: number): Promise<void>
  /** Replaces the store revisions with fresh ones for `scopes`, so every cache over this store reloads. */
  renewRevisions(scopes: string[]): Promise<void>
  commit(): Promise<void>
  /** Ends the open transaction, if any, without keeping its writes. */
  rollback(): Promise<void>
  close(): Promise<void>
}
