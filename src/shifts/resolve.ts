import type {ShiftRule} from '../attendance/engine/types.js'

export interface AssignmentSpan {
  id: number
  shiftId: number
  employeeId: number | null
  department: string | null
  fromDate: string | null
  toDate: string | null
}

/**
 * Which shift an employee works on a date: their own assignment wins over their department's, a
 * dated assignment over an open-ended one, the newest over an older one of the same kind; then the
 * site's default shift; else none (the engine then uses the bare site day).
 */
export function shiftResolver(
  employee: {id: number; department: string | null},
  assignments: readonly AssignmentSpan[],
  rules: ReadonlyMap<number, ShiftRule>,
  defaultShift: ShiftRule | null,
): (date: string) => ShiftRule | null {
  const department = employee.department?.toLowerCase() ?? null
  const ranked = assignments
    .map((a) => ({a, rank: rankOf(a, employee.id, department)}))
    .filter((x) => x.rank > 0)
    .sort((x, y) => y.rank - x.rank || y.a.id - x.a.id)
    .map((x) => x.a)
  const cache = new Map<string, ShiftRule | null>()
  return (date) => {
    let rule = cache.get(date)
    if (rule === undefined) {
      const match = ranked.find((a) => (a.fromDate === null || a.fromDate <= date) && (a.toDate === null || date <= a.toDate))
      rule = match ? (rules.get(match.shiftId) ?? null) : defaultShift
      cache.set(date, rule)
    }
    return rule
  }
}

function rankOf(a: AssignmentSpan, employeeId: number, department: string | null): number {
  const dated = a.fromDate !== null || a.toDate !== null ? 1 : 0
  if (a.employeeId !== null) return a.employeeId === employeeId ? 3 + dated : 0
  if (a.department !== null && department !== null && a.department.toLowerCase() === department) return 1 + dated
  return 0
}
