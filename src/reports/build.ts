import type {Store} from '../db/open.js'
import {refreshStaleDays} from '../attendance/recompute.js'
import {requireDepartment} from '../employees/query.js'
import {NotFoundError} from '../errors.js'
import type {SiteSettings} from '../settings/settings.js'
import {addDays} from '../time/calendar.js'
import {LocalClock} from '../time/local-clock.js'
import {isoInstant} from './dates.js'
import {
  calendarFor,
  findReportEmployee,
  iterateDays,
  iteratePunches,
  loadDayPunches,
  loadHolidays,
  loadReportEmployees,
  loadShifts,
  loadSiteSettings,
  type EmployeeScope,
} from './load.js'
import {buildDaily, type DailyReport} from './models/daily.js'
import {buildLate, type LateReport} from './models/late.js'
import {punchRows, type PunchReportRow} from './models/punches.js'
import {buildRegister, type RegisterReport} from './models/register.js'
import {buildSummary, type SummaryResult} from './models/summary.js'
import type {ReportHeading, ReportKind} from './types.js'
import {filtersText} from './layouts/format.js'

export interface ReportQuery {
  kind: ReportKind
  from: string | null
  to: string | null
  employee: string | null
  department: string | null
  generatedAt: number | null
}

export type BuiltReport =
  | {kind: 'summary'; result: SummaryResult}
  | {kind: 'register'; report: RegisterReport}
  | {kind: 'daily'; report: DailyReport}
  | {kind: 'late'; report: LateReport}
  /** Lazy: iterating runs the query, so CSV and JSON stream a million rows with flat memory. */
  | {kind: 'punches'; rows: () => Iterable<PunchReportRow>; from: string; to: string}

export interface ResolvedReport {
  built: BuiltReport
  heading: ReportHeading
  settings: SiteSettings
}

const subtitles: Record<ReportKind, string> = {
  summary: 'Attendance summary',
  register: 'Attendance register',
  daily: 'Daily attendance',
  late: 'Late arrivals and early departures',
  punches: 'Punch log',
}

interface Scope {
  scope: EmployeeScope
  employeeCode: string | null
  department: string | null
}

/** Unknown employee codes and departments are named in one sentence, with what exists instead. */
export function resolveScope(store: Store, employee: string | null, department: string | null): Scope {
  const scope: EmployeeScope = {}
  let employeeCode: string | null = null
  let departmentName: string | null = null
  if (employee !== null) {
    const found = findReportEmployee(store, employee)
    if (!found) throw new NotFoundError(`Unknown employee "${employee}": no employee has that code (see attend employees list).`)
    scope.employeeId = found.id
    employeeCode = found.code
  }
  if (department !== null) {
    const match = requireDepartment(store, department)
    scope.department = match
    departmentName = match
  }
  return {scope, employeeCode, department: departmentName}
}

/** Loads what a report needs and builds its model; "now" decides the generation time and today. */
export function buildReport(store: Store, query: ReportQuery, now: number): ResolvedReport {
  const settings = loadSiteSettings(store)
  const zone = settings.timezone
  const generatedAt = query.generatedAt ?? now
  const from = query.from ?? LocalClock.for(zone).dateOf(now)
  const to = query.to ?? from
  const {scope, employeeCode, department} = resolveScope(store, query.employee, query.department)
  const filters = {employeeCode, department}
  if (query.kind !== 'punches') {
    // Days nobody punched on become absences only through a recompute (ingest recomputes just the
    // days it touches): compute the period's missing and pending days first, so a cron report is
    // right even when `attend serve` was down.
    refreshStaleDays(store, {from, to, employeeIds: scope.employeeId === undefined ? undefined : [scope.employeeId], department: scope.department}, now)
  }

  const heading: ReportHeading = {
    title: settings.reportTitle,
    subtitle: subtitles[query.kind],
    period: from === to ? from : `${from} – ${to}`,
    filters: filtersText({employee: employeeCode, department}),
    generatedAt: isoInstant(generatedAt),
    zone,
  }

  const calendar = () => calendarFor(settings, loadHolidays(store, from, to), from, to)
  let built: BuiltReport
  switch (query.kind) {
    case 'summary': {
      const employees = loadReportEmployees(store, scope, from, to)
      built = {kind: 'summary', result: buildSummary({employees, days: iterateDays(store, scope, from, to), calendar: calendar(), ...filters, generatedAt})}
      break
    }
    case 'register': {
      const employees = loadReportEmployees(store, scope, from, to)
      built = {kind: 'register', report: buildRegister({employees, days: iterateDays(store, scope, from, to), calendar: calendar(), ...filters, generatedAt})}
      break
    }
    case 'daily': {
      const employees = loadReportEmployees(store, scope, from, to)
      // A day either side covers night shifts and margins; buildDaily keeps the punches that belong.
      const punches = loadDayPunches(store, scope, LocalClock.for(zone).at(addDays(from, -1), 0), LocalClock.for(zone).at(addDays(from, 2), 0))
      built = {
        kind: 'daily',
        report: buildDaily({
          date: from,
          employees,
          days: [...iterateDays(store, scope, addDays(from, -1), addDays(from, 1))],
          shifts: loadShifts(store),
          punches,
          calendar: calendar(),
          ...filters,
          generatedAt,
        }),
      }
      break
    }
    case 'late': {
      const employees = loadReportEmployees(store, scope, from, to)
      built = {
        kind: 'late',
        report: buildLate({from, to, zone, employees, days: iterateDays(store, scope, from, to), shifts: loadShifts(store), ...filters, generatedAt}),
      }
      break
    }
    case 'punches': {
      const clock = LocalClock.for(zone)
      const start = clock.at(from, 0)
      const end = clock.at(addDays(to, 1), 0)
      built = {kind: 'punches', from, to, rows: () => punchRows(iteratePunches(store, scope, start, end), clock)}
      break
    }
  }
  return {built, heading, settings}
}

/** The value `--json` prints: the report model (all punches, for the punches report). */
export function reportData(built: BuiltReport): unknown {
  switch (built.kind) {
    case 'summary':
      return built.result.report
    case 'punches':
      return [...built.rows()]
    default:
      return built.report
  }
}
