import {addDays} from '../../time/calendar.js'
import {startOfLocalDate} from '../../time/parse.js'
import {buildLate, type LateReport} from '../models/late.js'
import type {Sheet, SheetGroup} from '../types.js'
import {reportFlags} from './flags.js'
import {departmentName, hhmm} from './format.js'
import {defineReportKind} from './kind.js'

export const lateCsvHeader = ['date', 'code', 'name', 'department', 'kind', 'shift', 'expected', 'actual', 'minutes', 'manual']

export function* lateCsvRows(report: LateReport): Generator<unknown[]> {
  for (const e of report.entries) yield [e.date, e.code, e.name, e.department, e.kind, e.shift, e.expected, e.actual, e.minutes, e.manual]
}

const kindLabel = {late_arrival: 'late arrival', early_departure: 'early departure'} as const

export function lateSheet(report: LateReport): Sheet {
  const groups: SheetGroup[] = []
  for (const e of report.entries) {
    const name = departmentName(e.department)
    let group = groups.at(-1)
    if (!group || group.name !== name) {
      group = {name, rows: []}
      groups.push(group)
    }
    group.rows.push({
      // A star marks a time entered by hand, as on the daily report.
      cells: [e.date, e.code, e.name, kindLabel[e.kind], e.shift ?? '–', e.expected ?? '–', `${hhmm(e.actual)}${e.manual ? '*' : ''}`, String(e.minutes)],
      tones: [undefined, undefined, undefined, e.kind === 'late_arrival' ? 'warn' : 'info'],
    })
  }
  const t = report.totals
  return {
    orientation: 'portrait',
    columns: [
      {label: 'Date', width: 58},
      {label: 'Code', width: 44},
      {label: 'Name', width: 120},
      {label: 'Kind', width: 76},
      {label: 'Shift', width: 60},
      {label: 'Expected', align: 'center', width: 48},
      {label: 'Actual', align: 'center', width: 44},
      {label: 'Minutes', align: 'right', width: 44},
    ],
    groups,
    totals: {cells: ['All', '', '', `${t.late_arrivals} late, ${t.early_departures} early`, '', '', '', String(t.late_minutes + t.early_minutes)]},
    notes: [`Late arrivals: ${t.late_arrivals} (${t.late_minutes} min) · early departures: ${t.early_departures} (${t.early_minutes} min). Expected = shift start or end; * marks a time entered by hand (a manual punch or a day set by hand).`],
    empty: 'No late arrivals or early departures in this period.',
  }
}

export const late = defineReportKind({
  subtitle: 'Late arrivals and early departures',
  period: 'range',
  command: {
    summary: 'Late arrivals and early departures: date, employee, expected, actual, minutes.',
    description: 'Expected is the shift start (late arrival) or end (early departure); actual is the local check-in or check-out.',
    examples: [
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31',
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --employee EMP001 --format csv',
    ],
    flags: reportFlags,
  },
  // Manual punches a day after the range too, for night shifts that end the next morning.
  reads: ({from, to}, clock) => ({days: {from, to}, shifts: true, manualPunches: {fromMs: startOfLocalDate(from, clock.zoneName), toMs: startOfLocalDate(addDays(to, 2), clock.zoneName)}}),
  build: (source): LateReport =>
    buildLate({
      from: source.from,
      to: source.to,
      zone: source.zone,
      employees: source.employees(),
      days: source.days(),
      shifts: source.shifts(),
      manualPunches: source.manualPunches(),
      ...source.request,
    }),
  sections: (report, heading) => [{heading, sheet: lateSheet(report)}],
  csv: (report) => ({header: lateCsvHeader, records: lateCsvRows(report)}),
  json: (report): LateReport => report,
})
