import type {RecomputeResult} from '../attendance/recompute-result.js'
import {ConflictError} from '../errors.js'
import type {Employee} from './query.js'
import {assertDateOrder} from './validate.js'

/** One validated row of an employee CSV; only the columns the file has are set. */
export interface EmployeeImportRow {
  line: number
  code: string
  name: string
  email?: string | null
  phone?: string | null
  department?: string | null
  joinedOn?: string | null
  leftOn?: string | null
  active?: boolean
}

/** What the store did with the rows of an import. */
export interface EmployeeImportOutcome {
  created: number
  updated: number
  unchanged: number
  /** Rows the store refused (a date order broken by the stored values), by line. */
  rejected: {line: number; reason: string}[]
  /** Attendance recomputed because rows changed joining or leaving dates; null when none did. */
  recomputed: RecomputeResult | null
}

/** The new values of a stored employee's row (what `employees` holds, without id and timestamps). */
export type EmployeeValues = Omit<Employee, 'id' | 'createdAt' | 'updatedAt'>

export type EmployeeRowPlan =
  | {kind: 'unchanged'}
  | {kind: 'update'; existing: Employee; changes: Partial<EmployeeValues>}
  | {kind: 'create'; values: EmployeeValues}

export function duplicateCode(code: string, holder: Pick<Employee, 'name' | 'code'>): ConflictError {
  return new ConflictError(`Employee code "${code}" is already used by ${holder.name} (${holder.code}).`)
}

/**
 * The left_on a row gives an existing employee. Someone who is (or becomes) inactive always keeps a
 * leaving date: an empty left_on cell in a re-imported staff list does not erase the date
 * `attend employees deactivate` recorded, and a row that deactivates someone without one dates it
 * today, as the deactivate command does. Clearing it takes reactivating them (active = yes).
 */
function leavingDate(existing: Employee, row: EmployeeImportRow, active: boolean | undefined, today: () => string): string | null | undefined {
  if (active ?? existing.active) return row.leftOn
  return row.leftOn ?? existing.leftOn ?? today()
}

/**
 * A row without an `active` value but with a leaving date already past has left: a staff list
 * exported from HR marks leavers by their date alone. A leaving date of today or later keeps the
 * person active until then (they still work that day).
 */
function activeOf(row: EmployeeImportRow, today: () => string): boolean | undefined {
  if (row.active !== undefined) return row.active
  if (row.leftOn && row.leftOn < today()) return false
  return undefined
}

const FIELDS = ['name', 'email', 'phone', 'department', 'joinedOn', 'leftOn', 'active'] as const

/**
 * What one import row does to the directory, given the employee stored under its code (if any):
 * the same decision on every engine. Throws an AttendError when the row's dates, merged with the
 * stored ones, are out of order. The stored spelling of a code stays (the file matched it
 * case-insensitively).
 */
export function planEmployeeRow(existing: Employee | undefined, row: EmployeeImportRow, today: () => string): EmployeeRowPlan {
  const active = activeOf(row, today)
  if (!existing) {
    assertDateOrder(row.joinedOn ?? null, row.leftOn ?? null)
    return {
      kind: 'create',
      values: {
        code: row.code, name: row.name, email: row.email ?? null, phone: row.phone ?? null, department: row.department ?? null,
        joinedOn: row.joinedOn ?? null, leftOn: row.leftOn ?? null, active: active ?? true,
      },
    }
  }
  const wanted = {...row, active, leftOn: leavingDate(existing, row, active, today)}
  assertDateOrder(wanted.joinedOn === undefined ? existing.joinedOn : wanted.joinedOn, wanted.leftOn === undefined ? existing.leftOn : wanted.leftOn)
  const changes: Partial<EmployeeValues> = {}
  for (const field of FIELDS) {
    const value = wanted[field]
    if (value !== undefined && value !== existing[field]) (changes as Record<string, unknown>)[field] = value
  }
  return Object.keys(changes).length === 0 ? {kind: 'unchanged'} : {kind: 'update', existing, changes}
}
