import type {Store} from '../../db/open.js'
import {perConnection} from '../../db/prepared.js'
import {unreachable, type StoreServing} from '../serving.js'
import {BackgroundCheckpointer} from './checkpointer.js'

/**
 * SQLite page cache of the server's connection, in KiB (SQLite's default is 2 MiB): the punches
 * indexes a group of requests touches (dedup key, employee and instant, device user) stay in memory
 * instead of being read back from the file system on every insert once the store outgrows 2 MiB.
 */
export const SERVER_CACHE_KIB = 64 * 1024

const statements = perConnection((sqlite) => ({
  lastPunch: sqlite.prepare('SELECT max(id) AS last FROM punches').pluck(),
}))

/**
 * `attend serve` on SQLite: a larger page cache, WAL checkpoints on a thread of their own while
 * listening (src/store/sqlite/checkpointer.ts), and on stop a last checkpoint that folds the WAL
 * back into the file, so a stopped server leaves one self-contained file (backups by copying it are
 * then complete).
 */
export function sqliteServing(store: Store): StoreServing {
  let checkpointer: BackgroundCheckpointer | undefined
  return {
    async start(onError) {
      store.sqlite.pragma(`cache_size = -${SERVER_CACHE_KIB}`)
      checkpointer ??= new BackgroundCheckpointer(store, onError)
      await checkpointer.start()
    },
    async stop() {
      await checkpointer?.stop()
      if (store.sqlite.open && store.path !== ':memory:') store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    },
    async probe() {
      try {
        return {reachable: true, lastPunchId: (statements(store).lastPunch.get() as number | null) ?? null}
      } catch (error) {
        return unreachable(error)
      }
    },
  }
}
