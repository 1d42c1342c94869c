import {addDays} from '../../time/calendar.js'
import {LocalClock} from '../../time/local-clock.js'
import {punchColumns, punchRows, type PunchReportRow} from '../models/punches.js'
import type {Sheet} from '../types.js'
import {reportFlags} from './flags.js'
import {defineReportKind} from './kind.js'

/** Lazy: iterating runs the query, so CSV and JSON stream a million rows with flat memory. */
export interface PunchLog {
  from: string
  to: string
  rows: () => Iterable<PunchReportRow>
}

export const punchesCsvHeader = [...punchColumns]

export function punchCsvRecord(row: PunchReportRow): unknown[] {
  return punchColumns.map((key) => row[key])
}

export function punchesSheet(rows: readonly PunchReportRow[]): Sheet {
  const unmapped = rows.filter((r) => r.employee === null).length
  return {
    orientation: 'portrait',
    columns: [
      {label: 'Time', width: 104},
      {label: 'Device', width: 70},
      {label: 'User', width: 42},
      {label: 'Employee', width: 50},
      {label: 'Name', width: 104},
      {label: 'Dir', width: 24},
      {label: 'Source', width: 76},
      {label: 'Manual', align: 'center', width: 34},
    ],
    groups: [
      {
        name: null,
        rows: rows.map((r) => ({
          cells: [r.time.slice(0, 19).replace('T', ' '), r.device, r.device_user_id, r.employee ?? 'unmapped', r.name ?? '–', r.direction ?? '–', r.source, r.manual ? 'yes' : ''],
          tones: [undefined, undefined, undefined, r.employee === null ? 'bad' : undefined, undefined, undefined, undefined, r.manual ? 'warn' : undefined],
        })),
      },
    ],
    totals: {cells: [`${rows.length} punches`, '', '', `${unmapped} unmapped`, '', '', '', '']},
    notes: ['Times are local to the site. Unmapped punches belong to no employee yet (attend map add).'],
    empty: 'No punches in this period.',
  }
}

export const punches = defineReportKind({
  subtitle: 'Punch log',
  period: 'range',
  command: {
    summary: 'Raw punches with device, direction, source and mapped employee (unmapped included).',
    description: `Without --employee or --department every punch is listed, unmapped ones too. CSV and JSON are
streamed, so a million punches export with flat memory.`,
    examples: [
      '<%= config.bin %> <%= command.id %> --from 2026-03-12 --to 2026-03-12',
      '<%= config.bin %> <%= command.id %> --from 2026-01-01 --to 2026-12-31 --format csv --output punches-2026.csv',
    ],
    flags: reportFlags,
  },
  reads: ({from, to}, clock) => ({punches: {fromMs: clock.at(from, 0), toMs: clock.at(addDays(to, 1), 0)}}),
  build: (source): PunchLog => {
    const clock = LocalClock.for(source.zone)
    return {from: source.from, to: source.to, rows: () => punchRows(source.punches(), clock)}
  },
  sections: (log, heading) => [{heading, sheet: punchesSheet([...log.rows()])}],
  csv: (log) => ({
    header: punchesCsvHeader,
    records: (function* () {
      for (const row of log.rows()) yield punchCsvRecord(row)
    })(),
  }),
  json: (log): PunchReportRow[] => [...log.rows()],
  jsonRows: (log) => log.rows(),
})
