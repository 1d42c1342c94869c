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

export type EmploymentChange = {employeeId: number; before: Employment; after: Employment}

/** Who a set of employment changes recomputes, and from when (null: from their earliest data); null when none changed. */
export function employmentScope(changes: readonly EmploymentChange[]): {employeeIds: number[]; from: string | null} | null {
  const ids: number[] = []
  let from: string | null | undefined
  for (const change of changes) {
    const changedFrom = employmentChangedFrom(change.before, change.after)
    if (changedFrom === undefined) continue
    ids.push(change.employeeId)
    from = from === undefined ? changedFrom : from === null || changedFrom === null ? null : earlier(from, changedFrom)
  }
  return ids.length === 0 ? null : {employeeIds: ids, from: from ?? null}
}

function earlier(a: string, b: string): string {
  return a < b ? a : b
}
