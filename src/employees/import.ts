import type {RecomputeResult} from '../attendance/recompute-result.js'
import {AttendError} from '../errors.js'
import type {AttendStore} from '../store/port.js'
import {readCsvTable, type CsvRejectedRow, type CsvRow, type CsvUpsertResult} from './csv-table.js'
import type {EmployeeImportRow} from './import-plan.js'
import {validateCode, validateDate, validateDepartment, validateEmail, validateName, validatePhone} from './validate.js'

export type {EmployeeImportOutcome, EmployeeImportRow} from './import-plan.js'

export interface EmployeeImportResult extends CsvUpsertResult {
  /** Attendance recomputed because rows changed joining or leaving dates; null when none did. */
  recomputed: RecomputeResult | null
}

const shape = {
  required: ['code', 'name'],
  optional: ['email', 'phone', 'department', 'joined_on', 'left_on', 'active'],
  aliases: {employee_code: 'code', emp_code: 'code', full_name: 'name', e_mail: 'email', dept: 'department', joining_date: 'joined_on'},
} as const

type Row = EmployeeImportRow

function parseActive(value: string): boolean {
  const v = value.trim().toLowerCase()
  if (['1', 'yes', 'y', 'true', 'active'].includes(v)) return true
  if (['0', 'no', 'n', 'false', 'inactive'].includes(v)) return false
  throw new AttendError(`Invalid active "${value}": expected yes or no.`)
}

/** One CSV row → validated fields; only columns present in the header are set. */
function parseRow(row: CsvRow, columns: Set<string>): Row {
  const c = row.cells
  if (!c.code) throw new AttendError('code is empty')
  if (!c.name) throw new AttendError('name is empty')
  const out: Row = {line: row.line, code: validateCode(c.code), name: validateName(c.name)}
  if (columns.has('email')) out.email = validateEmail(c.email)
  if (columns.has('phone')) out.phone = validatePhone(c.phone)
  if (columns.has('department')) out.department = validateDepartment(c.department)
  if (columns.has('joined_on')) out.joinedOn = validateDate(c.joined_on, 'joined_on')
  if (columns.has('left_on')) out.leftOn = validateDate(c.left_on, 'left_on')
  if (columns.has('active') && c.active) out.active = parseActive(c.active)
  return out
}

/**
 * `employees import FILE.csv`: upserts by code (case-insensitive). Every row is validated before
 * the store is opened; good rows are written in one transaction (see planEmployeeRow), bad ones are reported with their
 * line number and never stop the rest. A file without a usable header throws before anything is
 * opened. Columns missing from the header leave existing employees' values as they are.
 */
export async function importEmployees(store: AttendStore, text: string, now: number, options: {file?: string} = {}): Promise<EmployeeImportResult> {
  const file = options.file ?? 'employees.csv'
  const table = readCsvTable(text, {name: file, ...shape})
  const columns = new Set(table.columns)
  const rejected: CsvRejectedRow[] = [...table.malformed]
  const valid: Row[] = []
  const seen = new Map<string, number>()
  for (const row of table.rows) {
    try {
      const parsed = parseRow(row, columns)
      const key = parsed.code.toLowerCase()
      const first = seen.get(key)
      if (first !== undefined) throw new AttendError(`code ${parsed.code} already appears on line ${first}`)
      seen.set(key, row.line)
      valid.push(parsed)
    } catch (error) {
      if (!(error instanceof AttendError)) throw error
      rejected.push({line: row.line, reason: error.message.replace(/\.$/, ''), raw: row.raw})
    }
  }

  const result: EmployeeImportResult = {
    file,
    read: table.rows.length + table.malformed.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected,
    ignoredColumns: table.ignoredColumns,
    recomputed: null,
  }
  if (valid.length > 0) {
    const outcome = await store.directory.importEmployees(valid, now)
    Object.assign(result, {created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, recomputed: outcome.recomputed})
    rejected.push(...outcome.rejected)
  }
  rejected.sort((a, b) => a.line - b.line)
  return result
}
