import type pg from 'pg'

import {siteContextFromRows, type SiteContext} from '../../attendance/site.js'
import type {PgDatabase} from '../../db/pg/open.js'
import {shifts} from '../../db/pg/schema.js'
import type {SiteSettings} from '../../settings/settings.js'
import type {AssignmentSpan} from '../../shifts/resolve.js'
import type {DayHalf} from '../../attendance/engine/types.js'
import {cachedByRevision, type StoreRevisions} from '../revisions.js'

/** Everything site-wide the engine needs, on PostgreSQL. */
export type PgSite = (now: number) => Promise<SiteContext>

/**
 * The site context on PostgreSQL, kept until the `site` revision moves (any server's change to
 * settings, shifts, rosters, assignments, holidays or device directions), built from its rows by
 * the code SQLite uses (siteContextFromRows).
 */
export function pgSite(database: PgDatabase, revisions: StoreRevisions, settings: () => Promise<SiteSettings>): PgSite {
  const data = cachedByRevision(revisions, 'site', async () => {
    const query = <R extends pg.QueryResultRow>(sql: string) => database.pool.query<R>(sql).then((result) => result.rows)
    const [site, shiftRows, assignments, rosters, holidays, forcedDirections] = await Promise.all([
      settings(),
      database.db.select().from(shifts),
      query<AssignmentSpan>(
        `SELECT id, shift_id AS "shiftId", roster_id AS "rosterId", employee_id AS "employeeId", department, from_date AS "fromDate", to_date AS "toDate"
         FROM shift_assignments`,
      ),
      query<{id: number; cycle: string}>('SELECT id, cycle FROM rosters'),
      query<{date: string; half: DayHalf | null}>('SELECT date, half FROM holidays'),
      query<{id: number; direction: 'in' | 'out'}>(`SELECT id, direction FROM devices WHERE direction IN ('in', 'out')`),
    ])
    return siteContextFromRows({settings: site, shifts: shiftRows, assignments, rosters, holidays, forcedDirections})
  })
  return async (now) => {
    const site = await data()
    return {...site, today: site.clock.dateOf(now)}
  }
}
