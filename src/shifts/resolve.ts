import type {PlannedShift, ShiftRule} from '../attendance/engine/types.js'
import {dayCount} from '../time/calendar.js'

export interface AssignmentSpan {
  id: number
  /** Exactly one of shiftId and rosterId is set. */
  shiftId: number | null
  rosterId: number | null
  employeeId: number | null
  department: string | null
  fromDate: string | null
  toDate: string | null
}

/** A roster's cycle: one entry per day, a shift id or null for a day off. */
export type RosterCycle = readonly (number | null)[]

/**
 * Which shift an employee works on a date: their own assignment wins over their department's, a
 * dated assignment over an open-ended one, the newest over an older one of the same kind; then the
 * site's default shift; else none (the engine then uses the bare site day). A roster assignment
 * gives the shift of the cycle's day, counted from the assignment's first date, or a rest day.
 */
export function shiftResolver(
  employee: {id: number; department: string | null},
  assignments: readonly AssignmentSpan[],
  rules: ReadonlyMap<number, ShiftRule>,
  defaultShift: ShiftRule | null,
  rosters: ReadonlyMap<number, RosterCycle> = new Map(),
): (date: string) => PlannedShift {
  const department = employee.department?.toLowerCase() ?? null
  const ranked = assignments
    .map((a) => ({a, rank: rankOf(a, employee.id, department)}))
    .filter((x) => x.rank > 0)
    .sort((x, y) => y.rank - x.rank || y.a.id - x.a.id)
    .map((x) => x.a)
  const cache = new Map<string, PlannedShift>()
  return (date) => {
    let planned = cache.get(date)
    if (planned === undefined) {
      const match = ranked.find((a) => (a.fromDate === null || a.fromDate <= date) && (a.toDate === null || date <= a.toDate))
      planned = match ? plannedBy(match, date, rules, rosters) : defaultShift
      cache.set(date, planned)
    }
    return planned
  }
}

function plannedBy(assignment: AssignmentSpan, date: string, rules: ReadonlyMap<number, ShiftRule>, rosters: ReadonlyMap<number, RosterCycle>): PlannedShift {
  if (assignment.shiftId !== null) return rules.get(assignment.shiftId) ?? null
  const cycle = assignment.rosterId === null ? undefined : rosters.get(assignment.rosterId)
  // A roster is always assigned from a date (its day 1); anything else is not a usable roster.
  if (!cycle || cycle.length === 0 || assignment.fromDate === null) return null
  const shiftId = cycle[(dayCount(assignment.fromDate, date) - 1) % cycle.length]
  if (shiftId === null) return 'rest'
  const rule = rules.get(shiftId)
  return rule ? rostered(rule) : null
}

const rosteredRules = new WeakMap<ShiftRule, ShiftRule>()

/**
 * A shift as a roster day works it: the cycle alone decides the rest days, so neither the site's
 * week off nor the shift's own (nor a weekday its pattern marks off) applies; the pattern's hours do.
 */
function rostered(rule: ShiftRule): ShiftRule {
  let copy = rosteredRules.get(rule)
  if (!copy) {
    const weekdays = Object.fromEntries(Object.entries(rule.weekdays).filter(([, plan]) => plan !== 'off'))
    copy = {...rule, weekOff: [], weekdays}
    rosteredRules.set(rule, copy)
  }
  return copy
}

function rankOf(a: AssignmentSpan, employeeId: number, department: string | null): number {
  const dated = a.fromDate !== null || a.toDate !== null ? 1 : 0
  if (a.employeeId !== null) return a.employeeId === employeeId ? 3 + dated : 0
  if (a.department !== null && department !== null && a.department.toLowerCase() === department) return 1 + dated
  return 0
}
