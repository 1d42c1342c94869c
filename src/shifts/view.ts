import type {RecomputeResult} from '../attendance/recompute-result.js'
import {UsageError} from '../errors.js'
import type {Weekday} from '../time/weekdays.js'
import type {ShiftValues} from './input.js'
import {assertShiftReach} from './reach.js'
import {patternOfRow, shiftRuleFromRow, type ShiftRow, type StoredPattern} from './rule.js'

export interface ShiftView {
  id: number
  name: string
  start: string
  end: string
  crossesMidnight: boolean
  lateGraceMinutes: number
  earlyGraceMinutes: number
  halfDayHours: number
  absentHours: number
  beforeMinutes: number
  afterMinutes: number
  checkInWindow: string | null
  checkOutWindow: string | null
  hoursMode: 'first-last' | 'pairs'
  directionMode: 'auto' | 'punch'
  debounceSeconds: number
  /** null = the site's week off. */
  weekOff: Weekday[] | null
  /** Weekly pattern: weekday → `HH:MM-HH:MM` or `off`; null = the same hours every day. */
  pattern: StoredPattern | null
  markLate: boolean
  markEarly: boolean
  overtime: 'after-end' | 'also-before-start'
  overtimeMinimumMinutes: number
  overtimeRoundMinutes: number
  /** null = no daily cap. */
  overtimeCapMinutes: number | null
  isDefault: boolean
}

export interface ShiftChange {
  shift: ShiftView
  /** The attendance recomputed because of the change, null when no stored day was affected. */
  recomputed: RecomputeResult | null
}

export function shiftView(row: ShiftRow, defaultShift: string | null): ShiftView {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    end: row.end,
    crossesMidnight: row.end <= row.start,
    lateGraceMinutes: row.lateGraceMinutes,
    earlyGraceMinutes: row.earlyGraceMinutes,
    halfDayHours: row.halfDayHours,
    absentHours: row.absentHours,
    beforeMinutes: row.beforeMinutes,
    afterMinutes: row.afterMinutes,
    checkInWindow: row.checkInWindow,
    checkOutWindow: row.checkOutWindow,
    hoursMode: row.hoursMode,
    directionMode: row.directionMode,
    debounceSeconds: row.debounceSeconds,
    weekOff: row.weekOff ? (JSON.parse(row.weekOff) as Weekday[]) : null,
    pattern: patternOfRow(row),
    markLate: row.markLate,
    markEarly: row.markEarly,
    overtime: row.overtimeCounts,
    overtimeMinimumMinutes: row.overtimeMinimumMinutes,
    overtimeRoundMinutes: row.overtimeRoundMinutes,
    overtimeCapMinutes: row.overtimeCapMinutes,
    isDefault: defaultShift !== null && defaultShift.toLowerCase() === row.name.toLowerCase(),
  }
}

/** The column defaults of a new shift, for checking values before the row exists. */
export const NEW_SHIFT: Omit<ShiftRow, 'name' | 'start' | 'end'> = {
  id: 0, lateGraceMinutes: 0, earlyGraceMinutes: 0, halfDayHours: 0, absentHours: 0, beforeMinutes: 60, afterMinutes: 60,
  checkInWindow: null, checkOutWindow: null, hoursMode: 'first-last', directionMode: 'auto', debounceSeconds: 60, weekOff: null,
  weekdays: null, markLate: true, markEarly: true, overtimeCounts: 'after-end', overtimeMinimumMinutes: 0, overtimeRoundMinutes: 0,
  overtimeCapMinutes: null, createdAt: 0, updatedAt: 0,
}

/** A shift as it would be saved (new values over the stored row, or over the defaults) must not reach a whole day. */
export function assertReach(shift: Partial<ShiftRow> & ShiftValues & {name: string}): void {
  assertShiftReach(shiftRuleFromRow({...NEW_SHIFT, ...shift} as ShiftRow))
}

export interface AssignmentView {
  id: number
  /** The shift assigned, or null for a roster. */
  shift: string | null
  /** The roster assigned, or null for a shift. */
  roster: string | null
  employeeCode: string | null
  employeeName: string | null
  department: string | null
  from: string | null
  to: string | null
}

export interface ShiftRemoval {
  removed: string
  assignmentsRemoved: number
  recomputed: RecomputeResult | null
}


export interface AssignInput {
  employee?: string
  department?: string
  from?: string
  to?: string
}

export interface AssignResult {
  assignment: AssignmentView
  recomputed: RecomputeResult | null
}


export function parseTarget(input: {employee?: string; department?: string}): void {
  if ((input.employee === undefined) === (input.department === undefined)) {
    throw new UsageError('Pass exactly one of --employee CODE or --department NAME.', 'invalid_target')
  }
  if (input.department !== undefined && !input.department.trim()) throw new UsageError('--department cannot be empty.', 'invalid_target')
}

/** The recompute scope of an assignment's target. */
export function targetScope(target: {employeeId: number | null; department: string | null}): {employeeIds: number[]} | {department: string} {
  return target.employeeId !== null ? {employeeIds: [target.employeeId]} : {department: target.department!}
}

export interface AssignmentFilter {
  employee?: string
  department?: string
  shift?: string
}

/** An assignment as listed: for an employee's listing, whether it is theirs or their department's. */
export type AssignmentListing = AssignmentView & {via: 'employee' | 'department'}

export interface AssignmentEnd {
  assignment: AssignmentView
  /** The last date it applied before this change (null = open). */
  previousTo: string | null
  /** True when the assignment was deleted rather than ended. */
  deleted: boolean
  recomputed: RecomputeResult | null
}

