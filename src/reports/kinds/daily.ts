
import {addDays} from '../../time/calendar.js'
import {hoursMinutes} from '../dates.js'
import {buildDaily, type DailyPunch, type DailyReport, type DailyRow} from '../models/daily.js'
import type {Sheet, SheetGroup} from '../types.js'
import {dateFlag} from '../../cli/flags.js'
import {reportFlags} from './flags.js'
import {departmentName, hhmm, statusLabels, statusTones} from './format.js'
import {defineReportKind} from './kind.js'

export const dailyCsvHeader = [
  'date', 'code', 'name', 'department', 'shift', 'check_in', 'check_out', 'worked_minutes', 'late_minutes',
  'early_minutes', 'status', 'missed_punch', 'punches', 'half_off', 'worked_on_holiday', 'worked_on_leave', 'off_day_minutes',
  'manual', 'note',
]

/** `present (leave first half, set by hand)`: the status with what the code alone does not say. */
export function statusText(row: DailyRow): string {
  const notes = [
    row.half_off ? `${row.half_off.replace(/_/g, ' ').replace(' half', '')} half off` : '',
    row.worked_on_holiday ? 'worked on a day off' : '',
    row.worked_on_leave ? 'worked on leave' : '',
    row.missed_punch ? 'missed punch' : '',
    row.manual ? 'set by hand' : '',
  ].filter(Boolean)
  return statusLabels[row.status] + (notes.length ? ` (${notes.join(', ')})` : '')
}

/** `(+1)` after a time on the next calendar day (a night shift's check-out), as `attendance list` dates it. */
function dayMarker(offset: number): string {
  return offset === 0 ? '' : ` (${offset > 0 ? '+' : ''}${offset})`
}

/** A star marks a manual punch; `(ignored)` one the engine did not count. */
function punchNotes(p: DailyPunch): string {
  return `${p.manual ? '*' : ''}${p.direction ? ` ${p.direction}` : ''}${p.ignored ? ' (ignored)' : ''}`
}

/** `07:30:00 (ignored), 08:01:12 in, 12:30:00* out, 06:02:00 (+1) out`. */
export function punchesText(punches: readonly DailyPunch[], withSeconds = true): string {
  return punches
    .map((p) => `${withSeconds ? p.local : p.local.slice(0, 5)}${dayMarker(p.day_offset)}${punchNotes(p)}`)
    .join(', ')
}

export function* dailyCsvRows(report: DailyReport): Generator<unknown[]> {
  for (const row of report.rows) {
    yield [
      report.date, row.code, row.name, row.department, row.shift, row.check_in, row.check_out, row.worked_minutes,
      row.late_minutes, row.early_minutes, row.status, row.missed_punch,
      // The ISO time carries its own date, so a next-day punch needs no marker here.
      row.punches.map((p) => `${p.time}${punchNotes(p)}`).join('; '),
      row.half_off, row.worked_on_holiday, row.worked_on_leave, row.off_day_minutes, row.manual, row.note,
    ]
  }
}

export function dailySheet(report: DailyReport): Sheet {
  const groups: SheetGroup[] = []
  for (const row of report.rows) {
    const name = departmentName(row.department)
    let group = groups.at(-1)
    if (!group || group.name !== name) {
      group = {name, rows: []}
      groups.push(group)
    }
    group.rows.push({
      cells: [
        row.code, row.name, row.shift ?? '–', hhmm(row.check_in), hhmm(row.check_out),
        row.worked_minutes ? hoursMinutes(row.worked_minutes) : '–',
        row.late_minutes ? String(row.late_minutes) : '–', row.early_minutes ? String(row.early_minutes) : '–',
        statusText(row), row.off_day_minutes ? hoursMinutes(row.off_day_minutes) : '–', punchesText(row.punches, false) || '–', row.note ?? '',
      ],
      tones: [undefined, undefined, undefined, undefined, undefined, undefined, row.late_minutes ? 'warn' : undefined, row.early_minutes ? 'warn' : undefined, statusTones[row.status]],
    })
  }
  const c = report.counts
  return {
    orientation: 'portrait',
    columns: [
      {label: 'Code', width: 42},
      {label: 'Name', width: 104},
      {label: 'Shift', width: 48},
      {label: 'In', align: 'center', width: 30},
      {label: 'Out', align: 'center', width: 30},
      {label: 'Worked', align: 'right', width: 36},
      {label: 'Late', align: 'right', width: 26},
      {label: 'Early', align: 'right', width: 28},
      {label: 'Status', width: 70, wrap: true},
      {label: 'Off-day', align: 'right', width: 32},
      {label: 'Punches', width: 120, wrap: true},
      {label: 'Note', width: 60, wrap: true},
    ],
    groups,
    totals: {
      cells: ['All', `${report.rows.length} people`, '', '', '', '', '', '', '', '', `present ${c.present}, half day ${c.half_day}, absent ${c.absent}, leave ${c.leave}, pending ${c.pending}`, ''],
    },
    notes: [
      `Times are local (${report.zone}). Late and early are in minutes; * marks a manual punch, (+1) a punch on the next day (night shift) and (ignored) a punch outside the shift's span that the attendance engine did not count.`,
      'Off-day: time worked on a holiday, weekly off or leave day (never overtime). "Set by hand": a day an admin set with attend attendance set; its note is theirs.',
    ],
    empty: 'No employees are on the roll on this date.',
  }
}

export const daily = defineReportKind({
  subtitle: 'Daily attendance',
  period: 'day',
  command: {
    summary: 'One day: shift, check-in, check-out, worked, late/early minutes, status and every punch.',
    description: `Times are local to the site. A star marks a manual punch. Without --date, today in the site
time zone.`,
    examples: [
      '<%= config.bin %> <%= command.id %> --date 2026-03-12',
      '<%= config.bin %> <%= command.id %> --date 2026-03-12 --department IT --format csv',
    ],
    flags: {
      ...reportFlags,
      date: dateFlag({description: 'The day (YYYY-MM-DD); default today in the site time zone.'}),
    },
  },
  // A day either side covers night shifts and margins; buildDaily keeps the punches that belong.
  reads: ({from: date}, clock) => ({
    days: {from: addDays(date, -1), to: addDays(date, 1)},
    shifts: true,
    dayPunches: {fromMs: clock.at(addDays(date, -1), 0), toMs: clock.at(addDays(date, 2), 0)},
  }),
  build: (source): DailyReport =>
    buildDaily({
      date: source.from,
      employees: source.employees(),
      days: [...source.days()],
      shifts: source.shifts(),
      punches: source.dayPunches(),
      calendar: source.calendar(),
      ...source.request,
    }),
  sections: (report, heading) => [{heading, sheet: dailySheet(report)}],
  csv: (report) => ({header: dailyCsvHeader, records: dailyCsvRows(report)}),
  json: (report): DailyReport => report,
})
