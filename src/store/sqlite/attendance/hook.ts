import type {Statement} from 'better-sqlite3'

import type {Store} from '../../../db/open.js'
import type {PunchSubscriber} from '../../../punches/events.js'
import {affectedDays} from '../../../attendance/compute.js'
import {recomputeDays} from './recompute.js'
import {loadSiteContext} from './site.js'

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
    const pairs = affectedDays(site, changes, (id) => employeeRow(context.store, id))
    if (pairs.length > 0) recomputeDays(context.store, pairs, context.now, site, {webhooks: context.webhooks})
  },
}
