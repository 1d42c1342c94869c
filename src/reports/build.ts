import type {Store} from '../db/open.js'
import {requireDepartment} from '../store/sqlite/directory/employees.js'
import {unknownEmployee} from '../errors.js'
import type {SiteSettings} from '../settings/settings.js'
import {LocalClock} from '../time/local-clock.js'
import {siteStamp} from './dates.js'
import {reportKind, type ReportJson, type ReportKind, type ReportModel} from './kinds/index.js'
import {filtersText} from './kinds/format.js'
import type {ReportSource} from './kinds/kind.js'
import {calendarFor, findReportEmployee, loadHolidays, loadReportEmployees, loadSiteSettings, type EmployeeScope} from './load.js'
import {settledDays} from './settled-days.js'
import type {ReportHeading} from './types.js'

export interface ReportQuery<K extends ReportKind = ReportKind> {
  kind: K
  from: string | null
  to: string | null
  employee: string | null
  department: string | null
  generatedAt: number | null
}

/** A report built and ready to render: its kind's model and the heading every format prints. */
export interface ResolvedReport<K extends ReportKind = ReportKind> {
  kind: K
  model: ReportModel<K>
  heading: ReportHeading
  settings: SiteSettings
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
    if (!found) throw unknownEmployee(employee)
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
export function buildReport<K extends ReportKind>(store: Store, query: ReportQuery<K>, now: number): ResolvedReport<K> {
  const definition = reportKind(query.kind)
  const settings = loadSiteSettings(store)
  const zone = settings.timezone
  const generatedAt = query.generatedAt ?? now
  const from = query.from ?? LocalClock.for(zone).dateOf(now)
  const to = query.to ?? from
  const {scope, employeeCode, department} = resolveScope(store, query.employee, query.department)
  const source: ReportSource = {
    store,
    settings,
    zone,
    from,
    to,
    scope,
    request: {employeeCode, department, generatedAt},
    employees: () => loadReportEmployees(store, scope, from, to),
    calendar: () => calendarFor(settings, loadHolidays(store, from, to), from, to),
    // Days nobody punched on become absences only through a recompute (ingest recomputes just the
    // days it touches): the period's missing and pending days are settled as the report reads
    // them, in memory, so a cron report is right even when `attend serve` was down, and no report
    // ever writes.
    days: (first, last) => settledDays(store, scope, {from, to}, {from: first, to: last}, now),
  }
  const heading: ReportHeading = {
    title: settings.reportTitle,
    subtitle: definition.subtitle,
    period: from === to ? from : `${from} – ${to}`,
    filters: filtersText({employee: employeeCode, department}),
    generatedAt,
    generated: siteStamp(generatedAt, zone),
    zone,
  }
  return {kind: query.kind, model: definition.build(source), heading, settings}
}

/** The value `--json` prints: the kind's JSON of the model (all punches, for the punches report). */
export function reportJsonOf<K extends ReportKind>(resolved: ResolvedReport<K>): ReportJson<K> {
  return reportKind(resolved.kind).json(resolved.model)
}
