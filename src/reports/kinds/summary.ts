import {round2} from '../models/grid.js'
import {buildSummary, type SummaryReport, type SummaryResult} from '../models/summary.js'
import type {Sheet, SheetGroup, SheetRow} from '../types.js'
import {reportFlags} from './flags.js'
import {departmentName, hours, num, percent, percentTone} from './format.js'
import {defineReportKind} from './kind.js'

export const summaryCsvHeader = [
  'user_id', 'code', 'name', 'department', 'working_days', 'present_days', 'absent_days', 'late_days',
  'early_departure_days', 'leave_days', 'pending_days', 'attendance_percentage',
  'half_off_days', 'worked_on_holiday_days', 'worked_on_leave_days', 'off_day_hours', 'manual_days',
]

export function* summaryCsvRows({report, details}: SummaryResult): Generator<unknown[]> {
  for (const [i, user] of report.users.entries()) {
    const detail = details[i]
    const a = user.attendance
    yield [
      user.id, detail.code, user.name, user.department, a.working_days, a.present_days, a.absent_days, a.late_days,
      a.early_departure_days, a.leave_days, a.pending_days, a.attendance_percentage,
      a.half_off_days, a.worked_on_holiday_days, a.worked_on_leave_days, a.off_day_hours, a.manual_days,
    ]
  }
}

interface Sums {
  users: number
  working: number
  present: number
  absent: number
  late: number
  early: number
  leave: number
  halfOff: number
  holidayWork: number
  leaveWork: number
  offDayHours: number
  manual: number
  percentages: number[]
}

const emptySums = (): Sums => ({
  users: 0, working: 0, present: 0, absent: 0, late: 0, early: 0, leave: 0, halfOff: 0, holidayWork: 0, leaveWork: 0, offDayHours: 0, manual: 0,
  percentages: [],
})

function sumsRow(label: string, sums: Sums): SheetRow {
  const average = sums.percentages.length ? round2(sums.percentages.reduce((a, b) => a + b, 0) / sums.percentages.length) : null
  return {
    cells: [
      label, `${sums.users} ${sums.users === 1 ? 'person' : 'people'}`, num(sums.working), num(sums.present), num(sums.absent), num(sums.late),
      num(sums.early), num(sums.leave), percent(average), num(sums.halfOff), num(sums.holidayWork), num(sums.leaveWork), hours(sums.offDayHours),
      num(sums.manual),
    ],
    tones: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, percentTone(average)],
  }
}

export function summarySheet({report, details}: SummaryResult): Sheet {
  const groups: SheetGroup[] = []
  const all = emptySums()
  let sums = emptySums()
  for (const [i, user] of report.users.entries()) {
    const a = user.attendance
    const detail = details[i]
    let group = groups.at(-1)
    if (!group || group.name !== departmentName(user.department)) {
      if (group) group.subtotal = sumsRow('Total', sums)
      group = {name: departmentName(user.department), rows: []}
      groups.push(group)
      sums = emptySums()
    }
    group.rows.push({
      cells: [
        detail.code, user.name, num(a.working_days), num(a.present_days), num(a.absent_days), num(a.late_days), num(a.early_departure_days),
        num(a.leave_days), percent(a.attendance_percentage), num(a.half_off_days), num(a.worked_on_holiday_days), num(a.worked_on_leave_days),
        hours(a.off_day_hours), num(a.manual_days),
      ],
      tones: [undefined, undefined, undefined, undefined, a.absent_days > 0 ? 'bad' : undefined, a.late_days > 0 ? 'warn' : undefined, a.early_departure_days > 0 ? 'warn' : undefined, undefined, percentTone(a.attendance_percentage)],
    })
    for (const target of [sums, all]) {
      target.users++
      target.working += a.working_days
      target.present += a.present_days
      target.absent += a.absent_days
      target.late += a.late_days
      target.early += a.early_departure_days
      target.leave += a.leave_days
      target.halfOff += a.half_off_days
      target.holidayWork += a.worked_on_holiday_days
      target.leaveWork += a.worked_on_leave_days
      target.offDayHours += a.off_day_hours
      target.manual += a.manual_days
      if (a.attendance_percentage !== null) target.percentages.push(a.attendance_percentage)
    }
  }
  const last = groups.at(-1)
  if (last) last.subtotal = sumsRow('Total', sums)

  const s = report.summary
  const totals = sumsRow('All', all)
  totals.cells[8] = percent(s.average_attendance)
  totals.tones = [...(totals.tones ?? [])]
  totals.tones[8] = percentTone(s.average_attendance)
  return {
    orientation: 'portrait',
    columns: [
      {label: 'Code', width: 56},
      {label: 'Name', width: 150},
      {label: 'Working', align: 'right', width: 44},
      {label: 'Present', align: 'right', width: 44},
      {label: 'Absent', align: 'right', width: 42},
      {label: 'Late', align: 'right', width: 34},
      {label: 'Early', align: 'right', width: 34},
      {label: 'Leave', align: 'right', width: 36},
      {label: '%', align: 'right', width: 44},
      {label: '½', align: 'right', width: 22},
      {label: 'HW', align: 'right', width: 26},
      {label: 'LW', align: 'right', width: 26},
      {label: 'Off h', align: 'right', width: 32},
      {label: 'M', align: 'right', width: 22},
    ],
    groups,
    totals,
    notes: [
      `Users ${s.total_users} · days ${s.total_days} · working days ${s.working_days} · average attendance ${percent(s.average_attendance)} %`,
      'A half day counts 0.5 present and 0.5 absent; a day with half of it off (½: half-day leave or a half holiday) is half a working day. Leave, pending days and days before joining are not working days for the person.',
      'HW/LW: days worked on a holiday or weekly off / on leave; Off h: hours worked on them (never overtime); M: days set by hand.',
    ],
    empty: 'No employees match this report.',
  }
}

export const summary = defineReportKind({
  subtitle: 'Attendance summary',
  period: 'range',
  command: {
    summary: 'Attendance summary per employee: present, absent, late, early and attendance %.',
    description: `The shape of GET /v1/reports/attendance. Working days exclude weekly offs and holidays; a half
day counts 0.5 present and 0.5 absent; leave, pending days (not computed yet) and days before joining are
not working days for the person, and a day with half of it off counts half. Percentages have two decimals.
Table, CSV and PDF add days with half off, days worked on a holiday or weekly off and on leave, the hours
worked on them, and days set by hand; --json keeps the v1 API's shape.`,
    examples: [
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31',
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --department IT --format csv > march-it.csv',
      '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --output march.pdf',
    ],
    flags: reportFlags,
  },
  reads: ({from, to}) => ({days: {from, to}}),
  build: (source): SummaryResult =>
    buildSummary({
      employees: source.employees(),
      days: source.days(),
      calendar: source.calendar(),
      ...source.request,
    }),
  sections: (result, heading) => [{heading, sheet: summarySheet(result)}],
  csv: (result) => ({header: summaryCsvHeader, records: summaryCsvRows(result)}),
  json: (result): SummaryReport => result.report,
})
