import {getTableColumns} from 'drizzle-orm'
import type pg from 'pg'

import {siteContextFromRows, type SiteContext} from '../../attendance/site.js'
import type {PgDatabase} from '../../db/pg/open.js'
import {shifts} from '../../db/pg/schema.js'
import {settingsFromRows, type SiteSettings} from '../../settings/settings.js'
import type {AssignmentSpan} from '../../shifts/resolve.js'
import type {DayHalf} from '../../attendance/engine/types.js'
import type {RevisionScope} from '../../db/revisions.js'
import {cachedByRevision, type StoreRevisions} from '../revisions.js'

/** The shifts' rows under drizzle's names, for a transaction's own connection (drizzle's db is the pool's). */
const SHIFT_ROWS = `SELECT ${Object.entries(getTableColumns(shifts)).map(([key, column]) => `"${column.name}" AS "${key}"`).join(', ')} FROM shifts`

/**
 * Everything site-wide the engine needs, on PostgreSQL. Inside a transaction pass its connection:
 * the revision (and, when it moved, the rows) are then read through it, never through the pool — a
 * transaction that waited for a second connection would deadlock the pool once as many
 * transactions as it has connections wait at once (fifty requests on a pool of ten).
 */
export type PgSite = (now: number, client?: pg.ClientBase) => Promise<SiteContext>

/**
 * The site context on PostgreSQL, kept until the `site` revision moves (any server's change to
 * settings, shifts, rosters, assignments, holidays or device directions), built from its rows by
 * the code SQLite uses (siteContextFromRows).
 */
export function pgSite(database: PgDatabase, revisions: StoreRevisions, settings: () => Promise<SiteSettings>): PgSite {
  const data = cachedByRevision(revisions, 'site', () => loadSite(database.pool, database, settings))
  let latest: {revision: number; site: Omit<SiteContext, 'today'>} | undefined
  const refresh = async () => {
    const revision = await revisions.current('site')
    latest = {revision, site: await data()}
    return latest
  }
  return async (now, client) => {
    let site: Omit<SiteContext, 'today'>
    if (client) {
      const revision = await revisionOn(client, 'site')
      if (latest && latest.revision === revision) {
        site = latest.site
      } else {
        // Rows read inside a transaction are not cached (it may have changed them and yet roll
        // back): this one reads them through its connection, and the cache is refreshed through
        // the pool beside it, not awaited, for the transactions after it.
        site = await loadSite(client, database, settings)
        void refresh().catch(() => {})
      }
    } else {
      site = (await refresh()).site
    }
    return {...site, today: site.clock.dateOf(now)}
  }
}

async function revisionOn(client: pg.ClientBase, scope: RevisionScope): Promise<number> {
  const {rows} = await client.query<{revision: number}>('SELECT revision FROM store_revisions WHERE scope = $1', [scope])
  return rows[0]?.revision ?? Number.NaN
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
