/** What a recompute covers and reports: shared by both engines' adapters and the services. */
export interface RecomputeScope {
  from: string
  to: string
  employeeIds?: number[]
  department?: string
}

export interface RecomputeResult {
  /** Employees whose days were computed. */
  employees: number
  /** Day records computed (the rows that now exist for the range). */
  days: number
  /** Rows inserted, updated or deleted: 0 when nothing changed since the last run. */
  changed: number
  /** The range actually computed: never past the site's today. */
  from: string
  to: string
}

export type ProgressListener = (done: number, total: number) => void

export interface RecomputeOptions {
  /**
   * False: the days this recompute changes queue no `attendance_day.updated` (a back-fill with
   * `attend import --no-webhooks`). Default true.
   */
  webhooks?: boolean
}

/** Several recomputes as one summary (for changes that recompute a few scopes); null when none ran. */
export function combineRecomputes(results: readonly (RecomputeResult | null)[]): RecomputeResult | null {
  const ran = results.filter((r): r is RecomputeResult => r !== null)
  if (ran.length === 0) return null
  return ran.reduce((a, b) => ({
    employees: a.employees + b.employees,
    days: a.days + b.days,
    changed: a.changed + b.changed,
    from: a.from < b.from ? a.from : b.from,
    to: a.to > b.to ? a.to : b.to,
  }))
}
