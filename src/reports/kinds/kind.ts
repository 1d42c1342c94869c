import type {Interfaces} from '@oclif/core'

import type {SiteSettings} from '../../settings/settings.js'
import type {LocalClock} from '../../time/local-clock.js'
import type {EmployeeScope} from '../scope.js'
import type {DayPunch} from '../models/daily.js'
import type {PunchSource} from '../models/punches.js'
import type {DayRecord, ReportCalendar, ReportEmployee, ReportHeading, ReportSection, ShiftInfo} from '../types.js'

/** A CSV file as rows: the header and records pulled one at a time (a million punches stream). */
export interface CsvTable {
  header: readonly string[]
  records: Iterable<unknown[]>
}

/**
 * What a kind reads beyond its employees and calendar, declared up front so the store reads it all
 * in one snapshot (src/reports/read.ts). Absent = not read.
 */
export interface ReportReads {
  /** Attendance days of the scope between two dates, settled (the period's stale days computed). */
  days?: {from: string; to: string}
  shifts?: true
  /** Mapped punches of the scope between two instants. */
  dayPunches?: {fromMs: number; toMs: number}
  /** Manual punches of anyone between two instants (as `employeeId:instant` keys). */
  manualPunches?: {fromMs: number; toMs: number}
  /** Raw punches of the scope (unmapped ones too without a scope) between two instants, streamed where the engine can. */
  punches?: {fromMs: number; toMs: number}
}

/**
 * What a report kind builds from, read once per request in one snapshot of the store
 * (src/reports/read.ts) and handed over behind accessors, so a kind never settles days or opens anything.
 */
export interface ReportSource {
  settings: SiteSettings
  zone: string
  /** The period, both ends included (`daily`: from = to = its date). */
  from: string
  to: string
  scope: EmployeeScope
  /** What the model states about its request: the filters (stored spelling) and the generation time. */
  request: {employeeCode: string | null; department: string | null; generatedAt: number}
  /** Who the report lists: employees of the scope on the roll during the period. */
  employees(): ReportEmployee[]
  /** The site calendar of the period: week off days and holidays. */
  calendar(): ReportCalendar
  /** The attendance days the kind declared, settled (no pending day whose shift has closed). */
  days(): Iterable<DayRecord>
  /** Every shift by id (when declared). */
  shifts(): ReadonlyMap<number, ShiftInfo>
  dayPunches(): DayPunch[]
  manualPunches(): ReadonlySet<string>
  punches(): Iterable<PunchSource>
}

/**
 * One report kind, declared in one file of src/reports/kinds/ and listed once in its index: the
 * command's flags and help, how the model is built, and how it is laid out for each format. A new
 * column or a new report touches its kind file (and its pure model), nothing else.
 * See docs/architecture.md, "Reports".
 */
export interface ReportKindDefinition<Model, Json, Flags extends Interfaces.FlagInput = Interfaces.FlagInput> {
  /** The second line of every heading ("Attendance register"). */
  subtitle: string
  /** `range` = --from/--to; `day` = one date (--date, or --from), today by default. */
  period: 'range' | 'day'
  /** The longest period this kind accepts from anyone (the register prints a page per month). */
  maxDays?: number
  /** `attend report KIND`: its help and flags. */
  command: {summary: string; description: string; examples: string[]; flags: Flags}
  /** What the kind reads for a period (the default: employees, calendar and nothing else). */
  reads?(period: {from: string; to: string}, clock: LocalClock): ReportReads
  build(source: ReportSource): Model
  /** The model laid out for people, as titled sheets (table and PDF). */
  sections(model: Model, heading: ReportHeading): ReportSection[]
  csv(model: Model): CsvTable
  /** The value `--json` returns and `--format json` prints. */
  json(model: Model): Json
  /** For a lazy model: the JSON array streamed row by row instead of built whole. */
  jsonRows?(model: Model): Iterable<unknown>
}

/** Declares a kind with its model and JSON types inferred from `build` and `json`. */
export function defineReportKind<Model, Json, Flags extends Interfaces.FlagInput>(
  definition: ReportKindDefinition<Model, Json, Flags>,
): ReportKindDefinition<Model, Json, Flags> {
  return definition
}
