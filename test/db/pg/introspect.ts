import type Database from 'better-sqlite3'
import type pg from 'pg'

/**
 * A live schema in one engine-neutral shape, read from the database itself (not from the Drizzle
 * declarations), so a hand edit of a migration that the declarations do not know shows too.
 */
export interface LiveSchema {
  /** table → column → nullable */
  columns: Record<string, Record<string, {nullable: boolean}>>
  /** table → primary key columns in order */
  primaryKeys: Record<string, string[]>
  /** index name → definition; primary keys are not listed here */
  indexes: Record<string, {table: string; unique: boolean; keys: string[]; where: string | null}>
  /** "table.column → table.column" */
  foreignKeys: string[]
  triggers: string[]
}

const SQLITE_INTERNAL = new Set(['__drizzle_migrations', 'sqlite_sequence'])

/**
 * A case-insensitive key is `lower(x)` in both: SQLite spells it `x COLLATE NOCASE`, PostgreSQL
 * as an expression (see src/db/pg/schema.ts).
 */
export function sqliteSchema(sqlite: Database.Database): LiveSchema {
  const schema: LiveSchema = {columns: {}, primaryKeys: {}, indexes: {}, foreignKeys: [], triggers: []}
  const tables = sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[]
  for (const table of tables.filter((t) => !SQLITE_INTERNAL.has(t))) {
    const info = sqlite.prepare(`SELECT name, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`).all(table) as {name: string; notnull: number; pk: number}[]
    schema.columns[table] = Object.fromEntries(info.map((c) => [c.name, {nullable: c.notnull === 0 && c.pk === 0}]))
    schema.primaryKeys[table] = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name)
    const fks = sqlite.prepare(`SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)`).all(table) as {table: string; from: string; to: string}[]
    for (const fk of fks) schema.foreignKeys.push(`${table}.${fk.from} → ${fk.table}.${fk.to}`)
    const indexes = sqlite.prepare(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`).all(table) as {name: string; unique: number; origin: string}[]
    for (const index of indexes) {
      if (index.origin === 'pk') continue
      const keys = sqlite.prepare(`SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`).all(index.name) as {name: string | null; coll: string}[]
      const sql = sqlite.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).pluck().get(index.name) as string | null
      const where = sql && /\sWHERE\s/i.test(sql) ? sql.slice(sql.search(/\sWHERE\s/i) + 7) : null
      schema.indexes[index.name] = {
        table,
        unique: index.unique === 1,
        keys: keys.map((k) => (k.coll.toUpperCase() === 'NOCASE' ? `lower(${k.name})` : String(k.name))),
        where: where === null ? null : normalizePredicate(where, table),
      }
    }
  }
  schema.triggers = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).pluck().all() as string[]
  schema.foreignKeys.sort()
  return schema
}

export async function pgSchema(client: pg.Pool | pg.ClientBase): Promise<LiveSchema> {
  const schema: LiveSchema = {columns: {}, primaryKeys: {}, indexes: {}, foreignKeys: [], triggers: []}
  const columns = await client.query<{table_name: string; column_name: string; is_nullable: string}>(
    `SELECT table_name, column_name, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  )
  for (const c of columns.rows) {
    schema.columns[c.table_name] ??= {}
    schema.columns[c.table_name][c.column_name] = {nullable: c.is_nullable === 'YES'}
  }
  const indexes = await client.query<{index: string; table: string; unique: boolean; primary: boolean; keys: string[]; predicate: string | null}>(
    `SELECT ic.relname AS index, tc.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS keys,
            pg_get_expr(i.indpred, i.indrelid, true) AS predicate
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_class tc ON tc.oid = i.indrelid
     WHERE tc.relnamespace = 'public'::regnamespace`,
  )
  for (const index of indexes.rows) {
    if (index.primary) {
      schema.primaryKeys[index.table] = index.keys
      continue
    }
    schema.indexes[index.index] = {
      table: index.table,
      unique: index.unique,
      keys: index.keys.map((k) => k.replaceAll('"', '')),
      where: index.predicate === null ? null : normalizePredicate(index.predicate, index.table),
    }
  }
  for (const table of Object.keys(schema.columns)) schema.primaryKeys[table] ??= []
  const fks = await client.query<{fk: string}>(
    `SELECT cl.relname || '.' || a.attname || ' → ' || rcl.relname || '.' || ra.attname AS fk
     FROM pg_constraint c
     JOIN pg_class cl ON cl.oid = c.conrelid
     JOIN pg_class rcl ON rcl.oid = c.confrelid
     JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, refcol) ON true
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
     JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refcol
     WHERE c.contype = 'f' AND cl.relnamespace = 'public'::regnamespace`,
  )
  schema.foreignKeys = fks.rows.map((r) => r.fk).sort()
  const triggers = await client.query<{name: string}>(
    `SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace ORDER BY t.tgname`,
  )
  schema.triggers = triggers.rows.map((r) => r.name)
  return schema
}

/** `"punches"."employee_id" IS NOT NULL` and `(employee_id IS NOT NULL)` read the same. */
function normalizePredicate(predicate: string, table: string): string {
  return predicate
    .replace(/[`"]/g, '')
    .replaceAll(`${table}.`, '')
    .replace(/[()]/g, '')
    .replace(/;\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}
