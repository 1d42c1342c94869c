import type {AttendanceStatus} from '../db/schema.js'
import type {ManualStatus, HalfOff} from '../attendance/engine/types.js'
import type {ProgressListener, RecomputeResult, RecomputeScope} from '../attendance/recompute-result.js'

/** An employee or a department named on the command line, as the store knows them. */
export interface AttendanceTarget {
  /** An employee code (any case); unknown → the unknown-employee error. */
  employee?: string
  /** A department (any case); unknown → the unknown-department error naming the known ones. */
  department?: string
}

export interface ResolvedTarget {
  employee?: {id: number; code: string; joinedOn: string | null; leftOn: string | null}
  department?: string
  timezone: string
}

/** A stored attendance day as listed. */
export interface AttendanceDayRow {
  date: string
  code: string
  name: string
  department: string | null
  status: AttendanceStatus
  shift: string | null
  firstIn: number | null
  lastOut: number | null
  worked: number
  late: number
  early: number
  overtime: number
  isLate: boolean
  isEarly: boolean
  missed: boolean
  punchCount: number
  offDay: number
  onHoliday: boolean
  onLeave: boolean
  halfOff: HalfOff | null
  manual: boolean
  note: string | null
}

export interface AttendanceQuery {
  from: string
  to: string
  employeeId?: number
  department?: string
  status?: AttendanceStatus
  manual?: boolean
  offset: number
  limit: number | null
}

export interface ManualDayInput {
  employeeId: number
  date: string
  status: ManualStatus
  checkIn: string | null
  checkOut: string | null
  note: string | null
}

export type StoredManualDay = Omit<ManualDayInput, 'employeeId'>

/**
 * Attendance days: a section of the store port (docs/architecture.md, "The store port"). The
 * engine is pure and shared; each adapter loads, computes and writes the difference. On PostgreSQL
 * an employee's days are recomputed under a transaction-scoped advisory lock on the employee, so two
 * servers never write a stale day.
 */
export interface AttendanceSection {
  /** Resolves an employee code / department to what the store holds (and the site zone). */
  target(target: AttendanceTarget): Promise<ResolvedTarget>
  /** Recomputes every day of a range for the employees in scope (`attend recompute`), in chunks of employees. */
  recompute(scope: RecomputeScope, now: number, onProgress?: ProgressListener): Promise<RecomputeResult>
  /**
   * Recomputes after a change to the rules: an open end is bounded by the data (the earliest day or
   * punch of the employees in scope), up to the site's today. Null when there was nothing to do.
   */
  recomputeAffected(scope: {employeeIds?: number[]; department?: string; from?: string | null; to?: string | null}, now: number): Promise<RecomputeResult | null>
  /** Computes the days of a range that have no record or are still pending (before listing them). */
  refreshStale(scope: RecomputeScope, now: number): Promise<RecomputeResult>
  /** One page of stored days, by date then employee code; refreshes the stale days of the scope first. */
  list(query: AttendanceQuery, now: number): Promise<{total: number; rows: AttendanceDayRow[]}>
  /** Records an admin's decision for a day and recomputes it, in one unit of work. */
  setManual(input: ManualDayInput, now: number): Promise<RecomputeResult | null>
  /** Forgets it and recomputes the day from the punches; null when there was none. */
  unsetManual(employeeId: number, date: string, now: number): Promise<{removed: StoredManualDay; recomputed: RecomputeResult | null} | null>
}
