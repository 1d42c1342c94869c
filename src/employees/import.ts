import {eq} from 'drizzle-orm'

import {recomputeEmployment} from '../attendance/employment.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {employees} from '../db/schema.js'
import {AttendError} from '../errors.js'
import {readSettings} from '../settings/settings.js'
import {LocalClock} from '../time/local-clock.js'
import {readCsvTable, type CsvRejectedRow, type CsvRow, type CsvUpsertResult} from './csv-table.js'
import {queueEvents} from '../webhooks/outbox.js'
import {userCreated} from '../webhooks/payloads.js'
import {announceUpdate, findEmployeeByCode, reresolveCodes, type Employee} from './service.js'
import {
  assertDateOrder,
  validateCode,
  validateDate,
  validateDepartment,
  validateEmail,
  validateName,
  validatePhone,
} from './validate.js'

export interface EmployeeImportResult extends CsvUpsertResult {
  /** Attendance recomputed because rows changed joining or leaving dates; null when none did. */
  recomputed: RecomputeResult | null
}

const shape = {
  required: ['code', 'name'],
  optional: ['email', 'phone', 'department', 'joined_on', 'left_on', 'active'],
  aliases: {employee_code: 'code', emp_code: 'code', full_name: 'name', e_mail: 'email', dept: 'department', joining_date: 'joined_on'},
} as const

type Row = {
  line: number
  code: string
  name: string
  email?: string | null
  phone?: string | null
  department?: string | null
  joinedOn?: string | null
  leftOn?: string | null
  active?: boolean
}

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
 * The left_on a row gives an existing employee. Someone who is (or becomes) inactive always keeps a
 * leaving date: an empty left_on cell in a re-imported staff list does not erase the date
 * `attend employees deactivate` recorded, and a row that deactivates someone without one dates it
 * today, as the deactivate command does. Clearing it takes reactivating them (active = yes).
 */
function leavingDate(existing: Employee, row: Row, today: () => string): string | null | undefined {
  const active = row.active ?? existing.active
  if (active) return row.leftOn
  return row.leftOn ?? existing.leftOn ?? today()
}

function changedFields(existing: Employee, row: Row): Partial<Employee> {
  const changes: Partial<Employee> = {}
  const fields = ['code', 'name', 'email', 'phone', 'department', 'joinedOn', 'leftOn', 'active'] as const
  for (const field of fields) {
    const value = row[field]
    if (value !== undefined && value !== existing[field]) (changes as Record<string, unknown>)[field] = value
  }
  return changes
}

/**
 * `employees import FILE.csv`: upserts by code (case-insensitive). Every row is validated before
 * the store is opened; good rows are written in one transaction, bad ones are reported with their
 * line number and never stop the rest. A file without a usable header throws before anything is
 * opened. Columns missing from the header leave existing employees' values as they are.
 */
export function importEmployees(openStore: () => Store, text: string, now: number, options: {file?: string} = {}): EmployeeImportResult {
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
    const store = openStore()
    const today = () => LocalClock.for(readSettings(store).timezone).dateOf(now)
    store.transaction(() => {
      const newCodes: string[] = []
      const employment: Parameters<typeof recomputeEmployment>[1][number][] = []
      for (const row of valid) {
        const existing = findEmployeeByCode(store, row.code)
        try {
          if (existing) {
            row.leftOn = leavingDate(existing, row, today)
            assertDateOrder(row.joinedOn === undefined ? existing.joinedOn : row.joinedOn, row.leftOn === undefined ? existing.leftOn : row.leftOn)
            // The stored spelling of the code stays: the file matched it case-insensitively.
            const changes = changedFields(existing, {...row, code: existing.code})
            if (Object.keys(changes).length === 0) {
              result.unchanged++
              continue
            }
            const updated = store.db.update(employees).set({...changes, updatedAt: now}).where(eq(employees.id, existing.id)).returning().get()
            announceUpdate(store, existing, updated, now)
            employment.push({employeeId: existing.id, before: existing, after: updated})
            result.updated++
          } else {
            assertDateOrder(row.joinedOn ?? null, row.leftOn ?? null)
            const {line: _line, ...values} = row
            const created = store.db.insert(employees).values({...values, active: row.active ?? true, createdAt: now, updatedAt: now}).returning().get()
            queueEvents(store, [userCreated(created, now)], now)
            result.created++
            newCodes.push(row.code)
          }
        } catch (error) {
          if (!(error instanceof AttendError)) throw error
          rejected.push({line: row.line, reason: error.message.replace(/\.$/, '')})
        }
      }
      reresolveCodes(store, newCodes, now)
      // New leaving or joining dates leave no day outside employment (see recomputeEmployment).
      result.recomputed = recomputeEmployment(store, employment, now)
    })
  }
  rejected.sort((a, b) => a.line - b.line)
  return result
}
