import {AttendError} from '../errors.js'
import {readCsvTable, type CsvRejectedRow, type CsvUpsertResult} from '../employees/csv-table.js'
import type {AttendStore} from '../store/port.js'
import {validateDeviceUserId, type MappingImportRow} from './service.js'

export interface MappingImportResult extends CsvUpsertResult {
  /** Stored punches whose employee changed. */
  reresolved: number
}

const shape = {
  required: ['device_user_id', 'employee_code'],
  optional: ['device'],
  aliases: {
    user_id: 'device_user_id', userid: 'device_user_id', pin: 'device_user_id', device_user: 'device_user_id', enroll_id: 'device_user_id',
    code: 'employee_code', emp_code: 'employee_code', employee: 'employee_code',
    serial: 'device', device_serial: 'device', sn: 'device',
  },
} as const

/**
 * `map import FILE.csv` (device_user_id,employee_code[,device]): upserts mappings, rejects rows
 * naming an unknown employee or device with their line number, and moves the affected punches,
 * all in one transaction.
 */
export async function importMappings(store: AttendStore, text: string, now: number, options: {file?: string} = {}): Promise<MappingImportResult> {
  const file = options.file ?? 'mappings.csv'
  const table = readCsvTable(text, {name: file, ...shape})
  const rejected: CsvRejectedRow[] = [...table.malformed]
  const rows: MappingImportRow[] = []
  const seen = new Map<string, number>()
  for (const row of table.rows) {
    try {
      if (!row.cells.device_user_id) throw new AttendError('device_user_id is empty')
      if (!row.cells.employee_code) throw new AttendError('employee_code is empty')
      const deviceUserId = validateDeviceUserId(row.cells.device_user_id)
      const device = row.cells.device || null
      const key = `${device ?? '*'}\u0000${deviceUserId}`
      const first = seen.get(key)
      if (first !== undefined) {
        throw new AttendError(`device user ${deviceUserId}${device ? ` on ${device}` : ''} is already mapped on line ${first}`)
      }
      seen.set(key, row.line)
      rows.push({line: row.line, raw: row.raw, deviceUserId, employeeCode: row.cells.employee_code, device})
    } catch (error) {
      if (!(error instanceof AttendError)) throw error
      rejected.push({line: row.line, reason: error.message.replace(/\.$/, ''), raw: row.raw})
    }
  }

  const counts = {created: 0, updated: 0, unchanged: 0}
  let reresolved = 0
  if (rows.length > 0) {
    const outcome = await store.directory.importMappings(rows, now)
    Object.assign(counts, {created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged})
    rejected.push(...outcome.rejected)
    reresolved = outcome.reresolved
  }
  rejected.sort((a, b) => a.line - b.line)
  return {file, read: table.rows.length + table.malformed.length, ...counts, rejected, ignoredColumns: table.ignoredColumns, reresolved}
}
