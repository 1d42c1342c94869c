import type {PgDatabase} from '../../db/pg/open.js'
import type {RevisionScope} from '../../db/revisions.js'
import type {StoreRevisions} from '../revisions.js'

/** The revision rows the PostgreSQL triggers move (drizzle/pg, hand-written part), read on any pooled connection. */
export function pgRevisions(database: PgDatabase): StoreRevisions {
  return {
    async current(scope: RevisionScope) {
      const {rows} = await database.pool.query<{revision: number}>('SELECT revision FROM store_revisions WHERE scope = $1', [scope])
      // A missing row (a database edited by hand) reads as "always changed", as on SQLite.
      return rows[0]?.revision ?? Number.NaN
    },
  }
}
