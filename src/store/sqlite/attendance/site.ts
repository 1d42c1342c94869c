import type {Statement} from 'better-sqlite3'

import type {Store} from '../../../db/open.js'
import {cachedByRevision} from '../../../db/revisions.js'
import {shifts} from '../../../db/schema.js'
import {siteContextAt, siteContextFromRows, type SiteContext} from '../../../attendance/site.js'
import type {DayHalf} from '../../../attendance/engine/types.js'
import type {AssignmentSpan} from '../../../shifts/resolve.js'
import {siteSettings} from '../settings.js'

// Compiled once per connection: preparing these cost more than running them.
interface SiteQueries {
  shifts: {all(): (typeof shifts.$inferSelect)[]}
  assignments: Statement
  rosters: Statement
  holidays: Statement
  forcedDirections: Statement
}
const queries = new WeakMap<Store['sqlite'], SiteQueries>()

function siteQueries(store: Store): SiteQueries {
  let compiled = queries.get(store.sqlite)
  if (!compiled) {
    compiled = {
      shifts: store.db.select().from(shifts).prepare(),
      assignments: store.sqlite.prepare(
        `SELECT id, shift_id AS shiftId, roster_id AS rosterId, employee_id AS employeeId, department, from_date AS fromDate,
           to_date AS toDate
         FROM shift_assignments`,
      ),
      rosters: store.sqlite.prepare('SELECT id, cycle FROM rosters'),
      holidays: store.sqlite.prepare('SELECT date, half FROM holidays'),
      forcedDirections: store.sqlite.prepare(`SELECT id, direction FROM devices WHERE direction IN ('in', 'out')`),
    }
    queries.set(store.sqlite, compiled)
  }
  return compiled
}

/** The site context without "today": what only changes when the site's tables do. */
const siteData = cachedByRevision('site', (store): Omit<SiteContext, 'today'> => {
  const query = siteQueries(store)
  return siteContextFromRows({
    settings: siteSettings(store),
    shifts: query.shifts.all(),
    assignments: query.assignments.all() as AssignmentSpan[],
    rosters: query.rosters.all() as {id: number; cycle: string}[],
    holidays: query.holidays.all() as {date: string; half: DayHalf | null}[],
    forcedDirections: query.forcedDirections.all() as {id: number; direction: 'in' | 'out'}[],
  })
})

/**
 * Everything site-wide the engine needs. Loaded on every ingest, so it is cached per connection
 * and read again only when settings, shifts, rosters, assignments, holidays or device directions changed
 * (by this process or another: see storeRevisions). Shared between callers: read-only.
 */
export function loadSiteContext(store: Store, now: number): SiteContext {
  return siteContextAt(siteData(store), now)
}
