import type {EngineStore} from './engines.js'
import {at} from '../attendance/fixtures.js'

/**
 * Rows a service test is not about, seeded and read back with SQL both engines accept: employees
 * and punches as a device leaves them (stored, not yet computed into days), and the stored days.
 */

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/** An active employee; returns its id. */
export async function addEmployee(store: EngineStore, code: string, options: {department?: string} = {}): Promise<number> {
  const department = options.department === undefined ? 'NULL' : quote(options.department)
  const rows = await store.all<{id: number}>(
    `INSERT INTO employees (code, name, department, created_at, updated_at) VALUES (${quote(code)}, ${quote(`Employee ${code}`)}, ${department}, 0, 0) RETURNING id`,
  )
  return Number(rows[0].id)
}

/** A punch at a local wall-clock time, stored without recomputing its day. */
export async function addPunch(store: EngineStore, employeeId: number, local: string, zone: string): Promise<void> {
  await store.exec(
    `INSERT INTO punches (device_key, device_user_id, employee_id, instant, source, received_at) VALUES ('SN1', '${employeeId}', ${employeeId}, ${at(local, zone)}, 'test', 0)`,
  )
}

export interface StoredDay {
  status: string
  late: number
  late_minutes: number
  shift_id: number | null
  worked_minutes: number
}

/** An employee's stored day; `late` as 0 or 1 on both engines (a boolean on PostgreSQL). */
export async function day(store: EngineStore, employeeId: number, date: string): Promise<StoredDay | undefined> {
  const rows = await store.all<StoredDay>(
    `SELECT status, late, late_minutes, shift_id, worked_minutes FROM attendance_days WHERE employee_id = ${employeeId} AND date = ${quote(date)}`,
  )
  return rows[0] === undefined ? undefined : {...rows[0], late: Number(rows[0].late)}
}

/** An employee's stored statuses by date. */
export async function statuses(store: EngineStore, employeeId: number): Promise<Record<string, string>> {
  const rows = await store.all<{date: string; status: string}>(`SELECT date, status FROM attendance_days WHERE employee_id = ${employeeId} ORDER BY date`)
  return Object.fromEntries(rows.map((row) => [row.date, row.status]))
}
