import {buildInstance, expectedHours} from '../../attendance/engine/index.js'
import {LocalClock} from '../../time/local-clock.js'
import {isoInstant} from '../dates.js'
import type {DayRecord, ReportEmployee, ShiftInfo} from '../types.js'
import {compareDepartments, onRoll} from './grid.js'

export interface LateEntry {
  date: string
  code: string
  name: string
  department: string | null
  kind: 'late_arrival' | 'early_departure'
  shift: string | null
  /** Shift start (late arrival) or end (early departure), `HH:MM`; null without a shift. */
  expected: string | null
  /** Check-in or check-out, site-local ISO 8601 with offset. */
  actual: string | null
  minutes: number
  /**
   * The actual time was entered by hand, not punched at a terminal: a punch added with `attend
   * punches add`, or a day set with `attend attendance set`.
   */
  manual: boolean
}

export interface LateReport {
  kind: 'late'
  start_date: string
  end_date: string
  department: string | null
  employee: string | null
  generated_at: string
  entries: LateEntry[]
  totals: {late_arrivals: number; late_minutes: number; early_departures: number; early_minutes: number}
}

export interface LateInput {
  from: string
  to: string
  zone: string
  employees: readonly ReportEmployee[]
  days: Iterable<DayRecord>
  shifts: ReadonlyMap<number, ShiftInfo>
  /** `employeeId:instant` of punches added by hand (the kind's `manualPunches` read). */
  manualPunches: ReadonlySet<string>
  department: string | null
  employeeCode: string | null
  generatedAt: number
}

/** How the late report knows a punch by its employee and instant (one set of them per report). */
export function manualPunchKey(employeeId: number, instant: number): string {
  return `${employeeId}:${instant}`
}

/** Late arrivals and early departures as the engine flagged them, ordered by department, date, employee. */
export function buildLate(input: LateInput): LateReport {
  const clock = LocalClock.for(input.zone)
  const employees = new Map(input.employees.map((e) => [e.id, e]))
  const entries: LateEntry[] = []
  const totals = {late_arrivals: 0, late_minutes: 0, early_departures: 0, early_minutes: 0}
  for (const day of input.days) {
    const employee = employees.get(day.employeeId)
    if (!employee || day.date < input.from || day.date > input.to || !onRoll(employee, day.date)) continue
    if (day.status !== 'present' && day.status !== 'half_day') continue
    const shift = day.shiftId == null ? undefined : input.shifts.get(day.shiftId)
    const base = {date: day.date, code: employee.code, name: employee.name, department: employee.department, shift: shift?.name ?? null}
    // The hours the engine measured from: the weekday's own (weekly pattern), or half a day.
    const expected = shift && (day.late || day.earlyDeparture) ? expectedHours(buildInstance(clock, day.date, shift.rule), day.halfOff) : null
    const byHand = (instant: number | null) => day.manual || (instant != null && input.manualPunches.has(manualPunchKey(day.employeeId, instant)))
    if (day.late) {
      entries.push({
        ...base,
        kind: 'late_arrival',
        expected: expected && clock.time(expected.start),
        actual: day.firstIn == null ? null : clock.iso(day.firstIn),
        minutes: day.lateMinutes,
        manual: byHand(day.firstIn),
      })
      totals.late_arrivals++
      totals.late_minutes += day.lateMinutes
    }
    if (day.earlyDeparture) {
      entries.push({
        ...base,
        kind: 'early_departure',
        expected: expected && clock.time(expected.end),
        actual: day.lastOut == null ? null : clock.iso(day.lastOut),
        minutes: day.earlyMinutes,
        manual: byHand(day.lastOut),
      })
      totals.early_departures++
      totals.early_minutes += day.earlyMinutes
    }
  }
  entries.sort(
    (a, b) =>
      compareDepartments(a.department, b.department) ||
      a.date.localeCompare(b.date) ||
      a.code.localeCompare(b.code, 'en', {numeric: true}) ||
      a.kind.localeCompare(b.kind),
  )
  return {
    kind: 'late',
    start_date: input.from,
    end_date: input.to,
    department: input.department,
    employee: input.employeeCode,
    generated_at: isoInstant(input.generatedAt),
    entries,
    totals,
  }
}
