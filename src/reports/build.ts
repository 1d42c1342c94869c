import type {SiteSettings} from '../settings/settings.js'
import type {AttendStore} from '../store/port.js'
import {siteStamp} from './dates.js'
import {reportKind, type ReportJson, type ReportKind, type ReportModel} from './kinds/index.js'
import {filtersText} from './kinds/format.js'
import type {ReportSource} from './kinds/kind.js'
import type {ReportQuery, ReportRows} from './read.js'
import {calendarFor} from './calendar.js'
import type {ReportHeading} from './types.js'

export type {ReportQuery} from './read.js'

/** A report built and ready to render: its kind's model and the heading every format prints. */
export interface ResolvedReport<K extends ReportKind = ReportKind> {
  kind: K
  model: ReportModel<K>
  heading: ReportHeading
  settings: SiteSettings
}

/**
 * Reads what a report needs in one snapshot of the store (either engine) and builds its model;
 * "now" decides the generation time, today, and which days are stale. Unknown employee codes and
 * departments are refused in one sentence naming what exists instead.
 */
export async function buildReport<K extends ReportKind>(store: AttendStore, query: ReportQuery<K>, now: number): Promise<ResolvedReport<K>> {
  return reportFromRows(await store.reports.read(query, now), now)
}

/** The model and heading from the rows read (pure: the same rows give the same report on either engine). */
export function reportFromRows<K extends ReportKind>(rows: ReportRows<K>, now: number): ResolvedReport<K> {
  const {query, settings, from, to} = rows
  const definition = reportKind(query.kind)
  const zone = settings.timezone
  const generatedAt = query.generatedAt ?? now
  const source: ReportSource = {
    settings,
    zone,
    from,
    to,
    scope: rows.scope,
    request: {employeeCode: rows.employeeCode, department: rows.department, generatedAt},
    employees: () => rows.employees,
    calendar: () => calendarFor(settings, rows.holidays, from, to),
    // Days nobody punched on become absences only through a recompute (ingest recomputes just the
    // days it touches): the period's missing and pending days were settled as the report read
    // them, in memory, so a cron report is right even when `attend serve` was down, and no report
    // ever writes.
    days: () => rows.days,
    shifts: () => rows.shifts,
    dayPunches: () => rows.dayPunches,
    manualPunches: () => rows.manualPunches,
    punches: () => rows.punches,
  }
  const heading: ReportHeading = {
    title: settings.reportTitle,
    subtitle: definition.subtitle,
    period: from === to ? from : `${from} – ${to}`,
    filters: filtersText({employee: rows.employeeCode, department: rows.department}),
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
