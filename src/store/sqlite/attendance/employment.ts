import {employmentScope, type EmploymentChange} from '../../../attendance/employment.js'
import type {RecomputeResult} from '../../../attendance/recompute-result.js'
import type {Store} from '../../../db/open.js'
import {recomputeAffected} from './affected.js'

/**
 * Recomputes the employees whose employment changed, so no day stays before a new joining date or
 * after a new leaving date, and the days a wider employment now covers exist. One recompute for the
 * lot, from the earliest date any of them changed.
 */
export function recomputeEmployment(
  store: Store,
  changes: readonly EmploymentChange[],
  now: number,
): RecomputeResult | null {
  const scope = employmentScope(changes)
  return scope && recomputeAffected(store, scope, now)
}
