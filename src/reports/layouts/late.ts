import type {LateReport} from '../models/late.js'
import type {Sheet, SheetGroup} from '../types.js'
import {departmentName, hhmm} from './format.js'

export const lateCsvHeader = ['date', 'code', 'name', 'department', 'kind', 'shift', 'expected', 'actual', 'minutes']

export function* lateCsvRows(report: LateReport): Generator<unknown[]> {
  for (const e of report.entries) yield [e.date, e.code, e.name, e.department, e.kind, e.shift, e.expected, e.actual, e.minutes]
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
      cells: [e.date, e.code, e.name, kindLabel[e.kind], e.shift ?? '–', e.expected ?? '–', hhmm(e.actual), String(e.minutes)],
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
    notes: [`Late arrivals: ${t.late_arrivals} (${t.late_minutes} min) · early departures: ${t.early_departures} (${t.early_minutes} min). Expected = shift start or end.`],
    empty: 'No late arrivals or early departures in this period.',
  }
}
