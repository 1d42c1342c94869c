/**
 * What a report reads, in one snapshot of either engine's store (docs/architecture.md, "The store
 * port", the reports section). The plan is shared: this generator asks for each read in turn and
 * decides from the answers (the period from the site's zone, the scope, which days are stale); each
 * engine's adapter answers the reads (`ReportReader`) inside one read transaction — SQLite
 * synchronously (`readReportSync`), PostgreSQL one query at a time under REPEATABLE READ
 * (`readReportAsync`). Nothing here touches a store.
 */
import {computeEmployeeRecords, punchWindow, type EmployeeInputs, type EmployeeRow, type Target} from '../attendance/compute.js'
import {mergeSettled, settleTarget, staleRange} from '../attendance/settle.js'
import type {SiteContext} from '../attendance/site.js'
import type {DayHalf} from '../attendance/engine/types.js'
import {unknownDepartment, unknownEmployee} from '../errors.js'
import type {SiteSettings} from '../settings/settings.js'
import {shiftRuleFromRow, type ShiftRow} from '../shifts/rule.js'
import {LocalClock} from '../time/local-clock.js'
import {reportKind, type ReportKind} from './kinds/index.js'
import {manualPunchKey} from './models/late.js'
import type {DayPunch} from './models/daily.js'
import type {PunchSource} from './models/punches.js'
import type {EmployeeScope} from './scope.js'
import type {DayRecord, ReportEmployee, ShiftInfo} from './types.js'

/** What a report asks for: its kind, period (null: today in the site zone), filters and generation time. */
export interface ReportQuery<K extends ReportKind = ReportKind> {
  kind: K
  from: string | null
  to: string | null
  employee: string | null
  department: string | null
  generatedAt: number | null
}

type Answer<T> = T | Promise<T>

/** An employee's engine inputs over [fromMs, toMs) of punches and [from, to] of leaves and manual days. */
export interface InputsWanted {
  employeeId: number
  from: string
  to: string
  fromMs: number
  toMs: number
}

/** The focused reads a report needs, answered by each engine's adapter inside its snapshot. */
export interface ReportReader {
  settings(): Answer<SiteSettings>
  /** By code (case-insensitive) or by the v1 API's `usr_<id>`. */
  employeeByRef(ref: string): Answer<ReportEmployee | undefined>
  /** Every department in use, sorted. */
  departments(): Answer<string[]>
  /**
   * Employees in the scope whose employment overlaps [from, to]: leavers for their time employed;
   * an inactive person without a leaving date only with attendance rows in the range. By id.
   */
  reportEmployees(scope: EmployeeScope, from: string, to: string): Answer<ReportEmployee[]>
  holidays(from: string, to: string): Answer<{date: string; name: string; half: DayHalf | null}[]>
  shifts(): Answer<ShiftRow[]>
  siteContext(now: number): Answer<SiteContext>
  /** The scope's stored attendance days in [from, to], by employee id then date. */
  storedDays(scope: EmployeeScope, from: string, to: string): Answer<DayRecord[]>
  /** Who a refresh of [from, to] would cover (see `selectEmployees` in src/store/sqlite/attendance/recompute.ts), by id. */
  settleEmployees(scope: {from: string; to: string; employeeIds?: number[]; department?: string}): Answer<EmployeeRow[]>
  engineInputs(wanted: readonly InputsWanted[]): Answer<Map<number, EmployeeInputs>>
  /** Mapped punches of the scope in [fromMs, toMs), by instant then id. */
  dayPunches(scope: EmployeeScope, fromMs: number, toMs: number): Answer<DayPunch[]>
  /** Manual punches of mapped employees in [fromMs, toMs). */
  manualPunches(fromMs: number, toMs: number): Answer<{employeeId: number; instant: number}[]>
  /** Raw punches joined with device and employee, by instant then id (unmapped ones too without a scope). */
  punches(scope: EmployeeScope, fromMs: number, toMs: number): Answer<Iterable<PunchSource>>
}

/** Everything a report model is built from, read in one snapshot. */
export interface ReportRows<K extends ReportKind = ReportKind> {
  query: ReportQuery<K>
  settings: SiteSettings
  from: string
  to: string
  scope: EmployeeScope
  /** The filters as stored (the employee's code, the department's spelling). */
  employeeCode: string | null
  department: string | null
  employees: ReportEmployee[]
  holidays: Map<string, {name: string; half: DayHalf | null}>
  days: DayRecord[]
  shifts: Map<number, ShiftInfo>
  dayPunches: DayPunch[]
  manualPunches: Set<string>
  punches: Iterable<PunchSource>
}

/** A stored shift as reports show it, with its engine rule. */
export function shiftInfoOf(row: ShiftRow): ShiftInfo {
  return {id: row.id, name: row.name, start: row.start, end: row.end, rule: shiftRuleFromRow(row)}
}

type Step = (reader: ReportReader) => unknown
type Plan<T> = Generator<Step, T, unknown>

function* ask<T>(read: (reader: ReportReader) => Answer<T>): Plan<T> {
  return (yield read) as T
}

/** The reads of a report, in order, and the rows they make. */
export function* reportReads<K extends ReportKind>(query: ReportQuery<K>, now: number): Plan<ReportRows<K>> {
  const definition = reportKind(query.kind)
  const settings = yield* ask((r) => r.settings())
  const clock = LocalClock.for(settings.timezone)
  const from = query.from ?? clock.dateOf(now)
  const to = query.to ?? from
  const scope: EmployeeScope = {}
  let employeeCode: string | null = null
  let department: string | null = null
  if (query.employee !== null) {
    const ref = query.employee
    const found = yield* ask((r) => r.employeeByRef(ref))
    if (!found) throw unknownEmployee(ref)
    scope.employeeId = found.id
    employeeCode = found.code
  }
  if (query.department !== null) {
    const wanted = query.department.trim()
    const departments = yield* ask((r) => r.departments())
    const match = departments.find((d) => d.toLowerCase() === wanted.toLowerCase())
    if (match === undefined) throw unknownDepartment(wanted, departments)
    scope.department = match
    department = match
  }
  const reads = definition.reads?.({from, to}, clock) ?? {}
  const employees = yield* ask((r) => r.reportEmployees(scope, from, to))
  const holidayRows = yield* ask((r) => r.holidays(from, to))
  const days = reads.days ? yield* settledDays(scope, {from, to}, reads.days, now) : []
  const shiftRows = reads.shifts ? yield* ask((r) => r.shifts()) : []
  const dayPunches = reads.dayPunches ? yield* ask((r) => r.dayPunches(scope, reads.dayPunches!.fromMs, reads.dayPunches!.toMs)) : []
  const manual = reads.manualPunches ? yield* ask((r) => r.manualPunches(reads.manualPunches!.fromMs, reads.manualPunches!.toMs)) : []
  const punches = reads.punches ? yield* ask((r) => r.punches(scope, reads.punches!.fromMs, reads.punches!.toMs)) : []
  return {
    query,
    settings,
    from,
    to,
    scope,
    employeeCode,
    department,
    employees,
    holidays: new Map(holidayRows.map((row) => [row.date, {name: row.name, half: row.half}])),
    days,
    shifts: new Map(shiftRows.map((row) => [row.id, shiftInfoOf(row)])),
    dayPunches,
    manualPunches: new Set(manual.map((row) => manualPunchKey(row.employeeId, row.instant))),
    punches,
  }
}

/**
 * The attendance days a report shows for [read.from, read.to]: the stored rows, with the stale days
 * of the report's period (no row yet, or still pending after the shift closed) computed as a
 * refresh would store them. Nothing is written, so a report runs on a read-only connection and never
 * takes the write lock from ingest (docs/architecture.md, "Reports").
 */
function* settledDays(scope: EmployeeScope, period: {from: string; to: string}, read: {from: string; to: string}, now: number): Plan<DayRecord[]> {
  const site = yield* ask((r) => r.siteContext(now))
  const stored = yield* ask((r) => r.storedDays(scope, read.from, read.to))
  const range = staleRange(site, period)
  const covered = range
    ? yield* ask((r) =>
        r.settleEmployees({
          from: range.from,
          to: range.to,
          employeeIds: scope.employeeId === undefined ? undefined : [scope.employeeId],
          department: scope.department,
        }),
      )
    : []
  const byEmployee = new Map<number, DayRecord[]>()
  for (const day of stored) {
    const list = byEmployee.get(day.employeeId)
    if (list) list.push(day)
    else byEmployee.set(day.employeeId, [day])
  }
  const targets = new Map<number, {employee: EmployeeRow; target: Target}>()
  for (const employee of covered) {
    const final = new Set((byEmployee.get(employee.id) ?? []).filter((day) => day.status !== 'pending').map((day) => day.date))
    const target = settleTarget(employee, range!, final)
    if (target) targets.set(employee.id, {employee, target})
  }
  const wanted: InputsWanted[] = [...targets.values()].map(({employee, target}) => ({employeeId: employee.id, from: target.from, to: target.to, ...punchWindowMs(site, target)}))
  const inputs = wanted.length > 0 ? yield* ask((r) => r.engineInputs(wanted)) : new Map<number, EmployeeInputs>()
  const ids = [...new Set([...covered.map((employee) => employee.id), ...byEmployee.keys()])].sort((a, b) => a - b)
  const days: DayRecord[] = []
  for (const employeeId of ids) {
    const own = byEmployee.get(employeeId) ?? []
    const settle = targets.get(employeeId)
    if (!settle) {
      days.push(...own)
      continue
    }
    const computed: DayRecord[] = computeEmployeeRecords(site, settle.employee, settle.target, now, inputs.get(employeeId) ?? NO_INPUTS)
      .filter((record) => record.date >= read.from && record.date <= read.to)
      .map(({punchCount: _punchCount, ...record}) => ({...record, employeeId}))
    days.push(...mergeSettled(own, settle.target.dates!, computed))
  }
  return days
}

const NO_INPUTS: EmployeeInputs = {punches: [], leaves: [], manualDays: []}

/** Runs the plan against a reader whose answers are immediate (SQLite, inside its transaction). */
export function readReportSync<K extends ReportKind>(reader: ReportReader, query: ReportQuery<K>, now: number): ReportRows<K> {
  const plan = reportReads(query, now)
  let step = plan.next()
  while (!step.done) step = plan.next(step.value(reader))
  return step.value
}

/** Runs the plan against a reader that answers asynchronously (PostgreSQL, inside its transaction). */
export async function readReportAsync<K extends ReportKind>(reader: ReportReader, query: ReportQuery<K>, now: number): Promise<ReportRows<K>> {
  const plan = reportReads(query, now)
  let step = plan.next()
  while (!step.done) step = plan.next(await step.value(reader))
  return step.value
}

function punchWindowMs(site: SiteContext, target: Target): {fromMs: number; toMs: number} {
  const [fromMs, toMs] = punchWindow(site, target)
  return {fromMs, toMs}
}
