import type {PunchReportRow} from '../models/punches.js'
import {punchColumns} from '../models/punches.js'
import type {Sheet} from '../types.js'

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
