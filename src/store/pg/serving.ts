import type {PgDatabase} from '../../db/pg/open.js'
import {unreachable, type StoreServing} from '../serving.js'

/** `attend serve` on PostgreSQL: no upkeep of its own (the database server checkpoints); /health reads through the pool. */
export function pgServing(database: PgDatabase): StoreServing {
  return {
    start: async () => {},
    stop: async () => {},
    async probe() {
      try {
        const {rows} = await database.pool.query<{last: number | null}>('SELECT max(id) AS last FROM punches')
        return {reachable: true, lastPunchId: rows[0].last}
      } catch (error) {
        return unreachable(error)
      }
    },
  }
}
