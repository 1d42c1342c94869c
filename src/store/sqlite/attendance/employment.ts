import type {Store} from '../../../db/open.js'
import {recomputeAffected} from './affected.js'
import type {RecomputeResult} from './recompute.js'

/** The fields of an employee that decide which dates they have attendance for. */
export interface Employment {
  joinedOn: string | null
  leftOn: string | null
  active: boolean
}

/**
 * The first date whose attendance a change of employment can change: the earlier of the old and
 * new joining dates, the earlier of the old and new leaving dates; `null` = from the employee's
 * earliest data (a joining date set or cleared reaches back to it). `undefined` = nothing changed.
 */
export function employmentChangedFrom(before: Employment, after: Employment): string | null | undefined {
  const candidates: (string | null)[] = []
  if (before.joinedOn !== after.joinedOn) {
    candidates.push(before.joinedOn === null || after.joinedOn === null ? null : earlier(before.joinedOn, after.joinedOn))
  }
  if (before.leftOn !== after.leftOn) {
    // A leaving date cleared or set: from the one that exists; moved: from the earlier.
    candidates.push(before.leftOn === null ? after.leftOn : after.leftOn === null ? before.leftOn : earlier(before.leftOn, after.leftOn))
  }
  // Reactivated or deactivated without a date change: everything the recompute covers.
  if (candidates.length === 0 && before.active !== after.active) candidates.push(null)
  if (candidates.length === 0) return undefined
  if (candidates.includes(null)) return null
  return (candidates as string[]).reduce(earlier)
}

/**
 * Recomputes the employees whose employment changed, so no day stays before a new joining date or
 * after a new leaving date, and the days a wider employment now covers exist. One recompute for the
 * lot, from the earliest date any of them changed.
 */
export function recomputeEmployment(
  store: Store,
  changes: readonly {employeeId: number; before: Employment; after: Employment}[],
  now: number,
): RecomputeResult | null {
  const ids: number[] = []
  let from: string | null | undefined
  for (const change of changes) {
    const changedFrom = employmentChangedFrom(change.before, change.after)
    if (changedFrom === undefined) continue
    ids.push(change.employeeId)
    from = from === undefined ? changedFrom : from === null || changedFrom === null ? null : earlier(from, changedFrom)
  }
  if (ids.length === 0) return null
  return recomputeAffected(store, {employeeIds: ids, from: from ?? null}, now)
}

function earlier(a: string, b: string): string {
  return a < b ? a : b
}
