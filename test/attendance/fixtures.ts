import {DateTime} from 'luxon'

import type {Store} from '../../src/db/open.js'

/** Small direct-SQL helpers for service tests: employees and punches as a device would leave them. */
export function addEmployee(store: Store, code: string, options: {department?: string; joinedOn?: string; leftOn?: string} = {}): number {
  const result = store.sqlite
    .prepare(`INSERT INTO employees (code, name, department, joined_on, left_on, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 0, 0)`)
    .run(code, `Employee ${code}`, options.department ?? null, options.joinedOn ?? null, options.leftOn ?? null)
  return Number(result.lastInsertRowid)
}

export function at(local: string, zone: string): number {
  return DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', {zone}).toMillis()
}

export function addPunch(store: Store, employeeId: number | null, local: string, zone: string, options: {deviceId?: number; deviceUserId?: string} = {}): void {
  store.sqlite
    .prepare(`INSERT INTO punches (device_key, device_id, device_user_id, employee_id, instant, source, received_at) VALUES (?, ?, ?, ?, ?, 'test', 0)`)
    .run('SN1', options.deviceId ?? null, options.deviceUserId ?? String(employeeId), employeeId, at(local, zone))
}

export function day(store: Store, employeeId: number, date: string) {
  return store.sqlite.prepare('SELECT * FROM attendance_days WHERE employee_id = ? AND date = ?').get(employeeId, date) as
    | {status: string; first_in: number | null; last_out: number | null; late: number; late_minutes: number; shift_id: number | null; worked_minutes: number; computed_at: number}
    | undefined
}

export function statuses(store: Store, employeeId: number): Record<string, string> {
  const rows = store.sqlite.prepare('SELECT date, status FROM attendance_days WHERE employee_id = ? ORDER BY date').all(employeeId) as {date: string; status: string}[]
  return Object.fromEntries(rows.map((r) => [r.date, r.status]))
}
