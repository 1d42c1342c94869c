import {addTotals, buildRegister, rowTotals, zeroTotals, type RegisterReport, type RegisterRow, type RegisterTotals} from '../models/register.js'
import type {Sheet, SheetColumn, SheetGroup, SheetRow, Tone} from '../types.js'
import {reportFlags} from './flags.js'
import {codeTones, departmentName, hours, num} from './format.js'
import {defineReportKind} from './kind.js'

/** The register is a page of day columns per month; a year is the most anyone prints at once. */
export const MAX_REGISTER_DAYS = 366

export function registerCsvHeader(report: RegisterReport): string[] {
  return [
    'department', 'code', 'name', ...report.dates.map((d) => d.date),
    'present', 'absent', 'late', 'half_days', 'leave', 'worked_hours', 'overtime_hours',
    'half_off_days', 'worked_on_holiday_days', 'worked_on_leave_days', 'off_day_hours', 'manual_days',
  ]
}

/** A day's cell: its code and its marks (`P½`, `WO+`, `LV*`). */
const cell = (row: RegisterRow, i: number): string => `${row.days[i]}${row.marks[i]}`

function totalsValues(t: RegisterTotals): number[] {
  return [t.present, t.absent, t.late, t.halfDays, t.leave, t.workedHours, t.overtimeHours, t.halfOffDays, t.holidayWorkDays, t.leaveWorkDays, t.offDayHours, t.manualDays]
}

export function* registerCsvRows(report: RegisterReport): Generator<unknown[]> {
  for (const group of report.groups) {
    for (const row of group.rows) {
      yield [row.department, row.code, row.name, ...row.days.map((_, i) => cell(row, i)), ...totalsValues(row.totals)]
    }
  }
}

/**
 * The legend under a printed register. A printed day cell has room for a code and `½` only (31 of
 * them share an A4 width), so the other marks are colours there: the CSV and JSON carry them all.
 */
export const registerLegendText = (report: RegisterReport): string =>
  'Legend: ' + report.legend.filter((entry) => entry.code !== '+' && entry.code !== '*').map((entry) => `${entry.code} ${entry.meaning}`).join(' · ') +
  '; green: worked on a day off; blue: set by hand. Present and absent count a half day as 0.5, and a day with half of it off as half a day. ' +
  'HW/LW: days worked on a holiday or weekly off / on leave; Off h: hours worked on them (never overtime); ½: days with half off; M: days set by hand.'

/** A printed day: its code, `½` when half of it is off; manual days blue, work on a day off green. */
function sheetDay(row: RegisterRow, i: number): {text: string; tone: Tone | undefined} {
  const text = `${row.days[i]}${row.half_off[i] ? '½' : ''}`
  if (row.marks[i].includes('*')) return {text, tone: 'info'}
  if (row.off_day_work[i]) return {text, tone: 'good'}
  return {text, tone: codeTones[row.days[i]]}
}

function totalsCells(t: RegisterTotals): string[] {
  return [
    num(t.present), num(t.absent), num(t.late), num(t.halfDays), num(t.leave), hours(t.workedHours), hours(t.overtimeHours),
    num(t.halfOffDays), `${num(t.holidayWorkDays)}/${num(t.leaveWorkDays)}`, hours(t.offDayHours), num(t.manualDays),
  ]
}

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
    const dayColumns: SheetColumn[] = dates.map((d) => ({label: `${d.day}\n${d.weekday}`, align: 'center', width: 15, shade: d.calendar !== '-' || d.half_holiday !== null}))
    // Widths keep a day column wide enough for "WO" at the register's type size on A4.
    const columns: SheetColumn[] = [
      {label: 'Code', width: 34},
      {label: 'Name', width: 66},
      ...dayColumns,
      {label: 'P', align: 'right', width: 22},
      {label: 'A', align: 'right', width: 18},
      {label: 'L', align: 'right', width: 16},
      {label: 'HD', align: 'right', width: 16},
      {label: 'LV', align: 'right', width: 16},
      {label: 'Hours', align: 'right', width: 26},
      {label: 'OT', align: 'right', width: 22},
      {label: '½', align: 'right', width: 12},
      {label: 'HW/LW', align: 'right', width: 20},
      {label: 'Off h', align: 'right', width: 20},
      {label: 'M', align: 'right', width: 12},
    ]
    const totals = zeroTotals()
    const groups: SheetGroup[] = report.groups.map((group) => {
      const groupTotals = zeroTotals()
      const rows: SheetRow[] = group.rows.map((row) => {
        const t = single ? row.totals : rowTotals(row, start, end)
        addTotals(groupTotals, t)
        const days = row.days.slice(start, end).map((_, i) => sheetDay(row, start + i))
        return {
          cells: [row.code, row.name, ...days.map((d) => d.text), ...totalsCells(t)],
          tones: [undefined, undefined, ...days.map((d) => d.tone), undefined, t.absent > 0 ? 'bad' : undefined, t.late > 0 ? 'warn' : undefined],
        }
      })
      addTotals(totals, groupTotals)
      return {
        name: departmentName(group.department),
        rows,
        subtotal: {cells: ['Total', `${group.rows.length} ${group.rows.length === 1 ? 'person' : 'people'}`, ...dates.map(() => ''), ...totalsCells(groupTotals)]},
      }
    })
    const people = report.groups.reduce((n, g) => n + g.rows.length, 0)
    const holidays = dates.filter((d) => d.holiday || d.half_holiday).map((d) => `${d.date} ${d.holiday ?? d.half_holiday}`)
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
(not computed yet); blank = not on the roll. Marks after a code: ½ half the day off (half-day leave or
a half holiday), + worked on a day off, * set by hand. Totals: present, absent, late, half days, leave,
worked and overtime hours, days with half off, days worked on a holiday/weekly off and on leave with
their hours (never overtime), days set by hand. At most 366 days; the PDF is A4 landscape with one
section per month.`,
    examples: [
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31',
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --output register-march.pdf',
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --format csv --department Teaching',
    ],
    flags: reportFlags,
  },
  reads: ({from, to}) => ({days: {from, to}}),
  build: (source): RegisterReport =>
    buildRegister({
      employees: source.employees(),
      days: source.days(),
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
