import {countCodes, round2} from '../models/grid.js'
import {buildRegister, type RegisterReport, type RegisterRow, type RegisterTotals} from '../models/register.js'
import type {Sheet, SheetColumn, SheetGroup, SheetRow, Tone} from '../types.js'
import {reportFlags} from './flags.js'
import {codeTones, departmentName, num} from './format.js'
import {defineReportKind} from './kind.js'

/** The register is a page of day columns per month; a year is the most anyone prints at once. */
export const MAX_REGISTER_DAYS = 366

export function registerCsvHeader(report: RegisterReport): string[] {
  return [
    'department', 'code', 'name', ...report.dates.map((d) => d.date),
    'present', 'absent', 'late', 'half_days', 'leave', 'worked_hours', 'overtime_hours',
  ]
}

export function* registerCsvRows(report: RegisterReport): Generator<unknown[]> {
  for (const group of report.groups) {
    for (const row of group.rows) {
      const t = row.totals
      yield [row.department, row.code, row.name, ...row.days, t.present, t.absent, t.late, t.halfDays, t.leave, t.workedHours, t.overtimeHours]
    }
  }
}

export const registerLegendText = (report: RegisterReport): string =>
  'Legend: ' + report.legend.map((entry) => `${entry.code} ${entry.meaning}`).join(' · ') +
  '. Present and absent count a half day as 0.5.'

function sliceTotals(row: RegisterRow, start: number, end: number): RegisterTotals {
  const counts = countCodes(row.days.slice(start, end))
  const sum = (values: number[]) => values.slice(start, end).reduce((a, b) => a + b, 0)
  return {
    present: counts.present,
    absent: counts.absent,
    late: counts.late,
    halfDays: counts.halfDays,
    leave: counts.leave,
    workedHours: round2(sum(row.worked_minutes) / 60),
    overtimeHours: round2(sum(row.overtime_minutes) / 60),
  }
}

function totalsCells(t: RegisterTotals): string[] {
  return [num(t.present), num(t.absent), num(t.late), num(t.halfDays), num(t.leave), num(t.workedHours), num(t.overtimeHours)]
}

function add(into: RegisterTotals, t: RegisterTotals): void {
  into.present += t.present
  into.absent += t.absent
  into.late += t.late
  into.halfDays += t.halfDays
  into.leave += t.leave
  into.workedHours = round2(into.workedHours + t.workedHours)
  into.overtimeHours = round2(into.overtimeHours + t.overtimeHours)
}

const zero = (): RegisterTotals => ({present: 0, absent: 0, late: 0, halfDays: 0, leave: 0, workedHours: 0, overtimeHours: 0})

/**
 * The register as printed: one section per calendar month (a page holds 31 day columns, not 366),
 * each with its own totals for the days it shows.
 */
export function registerSheets(report: RegisterReport): {period: string; sheet: Sheet}[] {
  const months: {start: number; end: number}[] = []
  report.dates.forEach((d, i) => {
    const last = months.at(-1)
    if (last && report.dates[last.start].date.slice(0, 7) === d.date.slice(0, 7)) last.end = i + 1
    else months.push({start: i, end: i + 1})
  })
  if (months.length === 0) months.push({start: 0, end: 0})
  const single = months.length === 1

  return months.map(({start, end}) => {
    const dates = report.dates.slice(start, end)
    const dayColumns: SheetColumn[] = dates.map((d) => ({label: `${d.day}\n${d.weekday}`, align: 'center', width: 15, shade: d.calendar !== '-'}))
    const columns: SheetColumn[] = [
      {label: 'Code', width: 40},
      {label: 'Name', width: 100},
      ...dayColumns,
      {label: 'P', align: 'right', width: 22},
      {label: 'A', align: 'right', width: 20},
      {label: 'L', align: 'right', width: 18},
      {label: 'HD', align: 'right', width: 18},
      {label: 'LV', align: 'right', width: 18},
      {label: 'Hours', align: 'right', width: 32},
      {label: 'OT', align: 'right', width: 26},
    ]
    const totals = zero()
    const groups: SheetGroup[] = report.groups.map((group) => {
      const groupTotals = zero()
      const rows: SheetRow[] = group.rows.map((row) => {
        const t = single ? row.totals : sliceTotals(row, start, end)
        add(groupTotals, t)
        const days = row.days.slice(start, end)
        return {
          cells: [row.code, row.name, ...days, ...totalsCells(t)],
          tones: [undefined, undefined, ...days.map((code) => codeTones[code]), undefined, t.absent > 0 ? 'bad' : undefined, t.late > 0 ? 'warn' : undefined] as (Tone | undefined)[],
        }
      })
      add(totals, groupTotals)
      return {
        name: departmentName(group.department),
        rows,
        subtotal: {cells: ['Total', `${group.rows.length} ${group.rows.length === 1 ? 'person' : 'people'}`, ...dates.map(() => ''), ...totalsCells(groupTotals)]},
      }
    })
    const people = report.groups.reduce((n, g) => n + g.rows.length, 0)
    const holidays = dates.filter((d) => d.holiday).map((d) => `${d.date} ${d.holiday}`)
    return {
      period: `${dates[0]?.date ?? report.start_date} – ${dates.at(-1)?.date ?? report.end_date}`,
      sheet: {
        orientation: 'landscape',
        columns,
        groups,
        totals: {cells: ['All', `${people} ${people === 1 ? 'person' : 'people'}`, ...dates.map(() => ''), ...totalsCells(totals)]},
        notes: [registerLegendText(report), ...(holidays.length ? [`Holidays: ${holidays.join(', ')}`] : [])],
        empty: 'No employees match this report.',
      },
    }
  })
}

export const register = defineReportKind({
  subtitle: 'Attendance register',
  period: 'range',
  maxDays: MAX_REGISTER_DAYS,
  command: {
    summary: 'The muster roll: employee × day codes with per-row totals, grouped by department.',
    description: `Codes: P present, L late, HD half day, A absent, H holiday, WO weekly off, LV leave, - pending
(not computed yet); blank = not on the roll. Totals: present, absent, late, half days, leave, worked and
overtime hours. At most 366 days; the PDF is A4 landscape with one section per month.`,
    examples: [
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31',
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --output register-march.pdf',
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --format csv --department Teaching',
    ],
    flags: reportFlags,
  },
  build: (source): RegisterReport =>
    buildRegister({
      employees: source.employees(),
      days: source.days(source.from, source.to),
      calendar: source.calendar(),
      ...source.request,
    }),
  sections: (report, heading) => {
    const sheets = registerSheets(report)
    return sheets.map(({period, sheet}) => ({heading: sheets.length > 1 ? {...heading, period: `${period} (of ${heading.period})`} : heading, sheet}))
  },
  csv: (report) => ({header: registerCsvHeader(report), records: registerCsvRows(report)}),
  json: (report): RegisterReport => report,
})
