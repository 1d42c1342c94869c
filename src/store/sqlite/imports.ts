import {eq} from 'drizzle-orm'

import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import {imports} from '../../db/schema.js'
import {listImports} from './imports/list.js'
import type {Writes} from './writes.js'
import type {ImportsSection} from '../imports.js'
import {SliceWriter} from './import-slices.js'

const progressStatement = perConnection((sqlite) =>
  sqlite.prepare<[number, number, number, number, number, number]>('UPDATE imports SET read = ?, stored = ?, duplicates = ?, unmapped = ?, rejected = ? WHERE id = ?'),
)

/**
 * Import runs on SQLite. The rows go through the group commit; the punches through the import's
 * own slices (SliceWriter), each at most ~100 ms of work, with the bulk-load pragmas on the
 * connection until the writer is closed (docs/architecture.md, "Import").
 */
export function sqliteImports(store: Store, writes: Writes): ImportsSection {
  return {
    deviceId: async (serial) => (store.sqlite.prepare('SELECT id FROM devices WHERE serial = ?').get(serial) as {id: number} | undefined)?.id ?? null,
    begin: (files, now) =>
      writes.run(() =>
        files.map(
          (file) =>
            store.db
              .insert(imports)
              .values({file: file.file, format: file.format, deviceId: file.deviceId, dryRun: false, status: 'running', startedAt: now})
              .returning({id: imports.id})
              .get().id,
        ),
      ),
    finish: (outcomes, now) =>
      writes.run(() => {
        for (const {id, ...outcome} of outcomes) store.db.update(imports).set({...outcome, finishedAt: now}).where(eq(imports.id, id)).run()
      }),
    writer: async () => {
      const slices = new SliceWriter(store)
      const restore = bulkMode(store)
      return {
        write: (punches, options, progress) =>
          slices.write(punches, options, (sofar) => {
            const counts = progress?.(sofar)
            // Prepared once: a query builder per slice costs more than the update it runs.
            if (counts) progressStatement(store).run(counts.read, counts.stored, counts.duplicates, counts.unmapped, counts.rejected, counts.id)
          }),
        close: async () => restore(),
      }
    },
    list: async (paging) => listImports(store, paging),
  }
}

/** WAL pages between automatic checkpoints during a bulk load (SQLite's default is 1 000). */
const BULK_AUTOCHECKPOINT_PAGES = 16_384
/**
 * The import connection's page cache, in KiB (SQLite's default is 2 MiB): a bulk load touches the
 * leaves of the punches indexes again and again, and with the default cache each of them is read
 * back from the file every time (docs/architecture.md, "Import").
 */
const BULK_CACHE_KIB = 64 * 1024

/**
 * Pragmas for a bulk load, undone by the function returned (docs/architecture.md, "Import"):
 * - the WAL is copied into the database every 64 MB instead of every 4 MB (readers such as
 *   `attend serve` are unaffected);
 * - the page cache holds the indexes' working set;
 * - foreign keys are not checked: the pipeline writes a punch's device and employee ids from rows
 *   it has just read, and the run's own `imports` row, and devices, employees and imports are never
 *   deleted (they are deactivated), so the checks could not fail — yet they cost a third of every
 *   insert.
 */
function bulkMode(store: Store): () => void {
  const sqlite = store.sqlite
  const autoCheckpoint = sqlite.pragma('wal_autocheckpoint', {simple: true}) as number
  const cacheSize = sqlite.pragma('cache_size', {simple: true}) as number
  const foreignKeys = sqlite.pragma('foreign_keys', {simple: true}) as number
  sqlite.pragma(`wal_autocheckpoint = ${BULK_AUTOCHECKPOINT_PAGES}`)
  sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`)
  sqlite.pragma('foreign_keys = OFF')
  return () => {
    sqlite.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
    sqlite.pragma(`wal_autocheckpoint = ${autoCheckpoint}`)
    sqlite.pragma(`cache_size = ${cacheSize}`)
    if (!sqlite.inTransaction) sqlite.pragma('wal_checkpoint(PASSIVE)')
  }
}

