import type {Statement} from 'better-sqlite3'

import type {Store} from '../db/open.js'
import type {PunchSubscriber} from '../punches/events.js'
import {shiftResolver} from '../shifts/resolve.js'
import {addDays} from '../time/calendar.js'
import {buildInstance, contains} from './engine/instances.js'
import {recomputeDays} from './recompute.js'
import {loadSiteContext, type SiteContext} from './site.js'

const employeeQueries = new WeakMap<Store['sqlite'], Statement>()

function employeeRow(store: Store, id: number): {id: number; department: string | null} | undefined {
  let query = employeeQueries.get(store.sqlite)
  if (!query) {
    query = store.sqlite.prepare('SELECT id, department FROM employees WHERE id = ?')
    employeeQueries.set(store.sqlite, query)
  }
  return query.get(id) as {id: number; department: string | null} | undefined
}

/**
 * The attendance dates a punch can change: the dates whose shift instance (with its margins and
 * windows) contains it — its local date, or the day before for a night shift, or the day after for
 * an early start's margin. Recomputing only those, instead of all three days, is most of the cost
 * of a single-punch ingest.
 */
function owningDates(site: SiteContext, shiftOn: (date: string) => ReturnType<ReturnType<typeof shiftResolver>>, instant: number): string[] {
  const date = site.clock.dateOf(instant)
  const dates = [addDays(date, -1), date, addDays(date, 1)].filter((day) => contains(buildInstance(site.clock, day, shiftOn(day)).span, instant))
  // A punch no instance wants changes no day's figures, but its own date is where an admin looks.
  return dates.length > 0 ? dates : [date]
}

/**
 * Keeps attendance current as punches change: recomputes, in the transaction of the change, every
 * (employee, date) a stored, removed or reassigned punch can belong to — for the punch's employee
 * and, after a reassignment, for the employee who lost it. Once per transaction (per group on the
 * server), over all of them.
 */
export const recomputeSubscriber: PunchSubscriber = {
  name: 'recompute-attendance',
  kinds: ['stored', 'removed', 'reassigned'],
  handle(context, changes) {
    const site = loadSiteContext(context.store, context.now)
    const resolvers = new Map<number, ((date: string) => ReturnType<ReturnType<typeof shiftResolver>>) | null>()
    const resolverFor = (employeeId: number) => {
      if (!resolvers.has(employeeId)) {
        const employee = employeeRow(context.store, employeeId)
        resolvers.set(employeeId, employee ? shiftResolver(employee, site.assignments, site.rules, site.defaultShift, site.rosters) : null)
      }
      return resolvers.get(employeeId)!
    }
    const seen = new Set<string>()
    const pairs: {employeeId: number; date: string}[] = []
    const add = (employeeId: number | null | undefined, instant: number) => {
      if (employeeId === null || employeeId === undefined) return
      const shiftOn = resolverFor(employeeId)
      if (!shiftOn) return
      for (const date of owningDates(site, shiftOn, instant)) {
        const key = `${employeeId}|${date}`
        if (seen.has(key)) continue
        seen.add(key)
        pairs.push({employeeId, date})
      }
    }
    for (const punch of changes.stored) add(punch.employeeId, punch.instant)
    for (const punch of changes.removed) add(punch.employeeId, punch.instant)
    for (const punch of changes.reassigned) {
      add(punch.employeeId, punch.instant)
      if (punch.previousEmployeeId !== punch.employeeId) add(punch.previousEmployeeId, punch.instant)
    }
    if (pairs.length > 0) recomputeDays(context.store, pairs, context.now, site, {webhooks: context.webhooks})
  },
}
