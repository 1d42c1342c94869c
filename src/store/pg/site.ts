import {getTableColumns} from 'drizzle-orm'
import type pg from 'pg'

import {siteContextFromRows, type SiteContext} from '../../attendance/site.js'
import type {PgDatabase} from '../../db/pg/open.js'
import {shifts} from '../../db/pg/schema.js'
import {settingsFromRows, type SiteSettings} from '../../settings/settings.js'
import type {AssignmentSpan} from '../../shifts/resolve.js'
import type {DayHalf} from '../../attendance/engine/types.js'
import {cachedByRevision, type StoreRevisions} from '../revisions.js'

/** The shifts' rows under drizzle's names, for a transaction's own connection (drizzle's db is the pool's). */
const SHIFT_ROWS = `SELECT ${Object.entries(getTableColumns(shifts)).map(([key, column]) => `"${column.name}" AS "${key}"`).join(', ')} FROM shifts`

/** Everything site-wide the engine needs, on PostgreSQL. */
export type PgSite = (now: number) => Promise<SiteContext>

/**
 * The site context on PostgreSQL, kept until the `site` revision moves (any server's change to
 * settings, shifts, rosters, assignments, holidays or device directions), built from its rows by
 * the code SQLite uses (siteContextFromRows).
 */
export function pgSite(database: PgDatabase, revisions: StoreRevisions, settings: () => Promise<SiteSettings>): PgSite {
  const data = cachedByRevision(revisions, 'site', () => loadSite(database.pool, database, settings))
  return async (now) => {
    const site = await data()
    return {...site, today: site.clock.dateOf(now)}
  }
}

/** The site's rows, read through `on`: the pool (cached above), or a transaction that changed them. */
async function loadSite(on: pg.Pool | pg.ClientBase, database: PgDatabase, settings: () => Promise<SiteSettings>): Promise<Omit<SiteContext, 'today'>> {
  const query = <R extends pg.QueryResultRow>(sql: string) => on.query<R>(sql).then((result) => result.rows)
  // One query at a time: a transaction's connection runs them in order anyway.
  // A transaction may have changed the settings too (attend config set week-off): read them through it.
  const site = on === database.pool ? await settings() : settingsFromRows((await query<{key: string; value: string}>('SELECT key, value FROM settings')))
  const shiftRows = on === database.pool ? await database.db.select().from(shifts) : await query<typeof shifts.$inferSelect>(SHIFT_ROWS)
  const assignments = await query<AssignmentSpan>(
    `SELECT id, shift_id AS "shiftId", roster_id AS "rosterId", employee_id AS "employeeId", department, from_date AS "fromDate", to_date AS "toDate"
     FROM shift_assignments`,
  )
  const rosters = await query<{id: number; cycle: string}>('SELECT id, cycle FROM rosters')
  const holidays = await query<{date: string; half: DayHalf | null}>('SELECT date, half FROM holidays')
  const forcedDirections = await query<{id: number; direction: 'in' | 'out'}>(`SELECT id, direction FROM devices WHERE direction IN ('in', 'out')`)
  return siteContextFromRows({settings: site, shifts: shiftRows, assignments, rosters, holidays, forcedDirections})
}

/**
 * The site context as a transaction sees it, uncached: a change to holidays, shifts or assignments
 * recomputes the days it moves in its own transaction, before its commit moves the revision.
 */
export async function siteIn(client: pg.ClientBase, database: PgDatabase, settings: () => Promise<SiteSettings>, now: number): Promise<SiteContext> {
  const site = await loadSite(client, database, settings)
  return {...site, today: site.clock.dateOf(now)}
}
