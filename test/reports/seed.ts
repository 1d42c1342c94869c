import type {Store} from '../../src/db/open.js'
import {datesBetween, weekdayNumber} from '../../src/time/calendar.js'
import type {DayRecord} from '../../src/reports/types.js'

/** Builds attendance rows as the engine would write them, for stores and pure models alike. */
export function day(employeeId: number, date: string, status: DayRecord['status'], extra: Partial<DayRecord> = {}): DayRecord {
  return {
    employeeId,
    date,
    status,
    shiftId: null,
    firstIn: null,
    lastOut: null,
    workedMinutes: status === 'present' ? 480 : status === 'half_day' ? 240 : 0,
    lateMinutes: 0,
    earlyMinutes: 0,
    overtimeMinutes: 0,
    late: false,
    earlyDeparture: false,
    missedPunch: false,
    workedOnHoliday: false,
    workedOnLeave: false,
    offDayMinutes: 0,
    halfOff: null,
    manual: false,
    note: null,
    ...extra,
  }
}

/** A month of rows: weekends weekly_off, every other day from `pick` (default present). */
export function month(
  employeeId: number,
  from: string,
  to: string,
  pick: (date: string, index: number) => DayRecord['status'] | Partial<DayRecord> & {status: DayRecord['status']} = () => 'present',
): DayRecord[] {
  let working = 0
  return datesBetween(from, to).map((date) => {
    if (weekdayNumber(date) >= 6) return day(employeeId, date, 'weekly_off')
    const picked = pick(date, working++)
    return typeof picked === 'string' ? day(employeeId, date, picked) : day(employeeId, date, picked.status, picked)
  })
}

export interface SeedEmployee {
  code: string
  name: string
  department?: string | null
  joinedOn?: string | null
  leftOn?: string | null
  active?: boolean
}

export function insertEmployees(store: Store, list: SeedEmployee[]): number[] {
  const insert = store.sqlite.prepare(
    `INSERT INTO employees (code, name, department, active, joined_on, left_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
  )
  return store.transaction(() =>
    list.map((e) => Number(insert.run(e.code, e.name, e.department ?? null, e.active === false ? 0 : 1, e.joinedOn ?? null, e.leftOn ?? null).lastInsertRowid)),
  )
}

export function insertDays(store: Store, days: DayRecord[]): void {
  const insert = store.sqlite.prepare(
    `INSERT INTO attendance_days (employee_id, date, status, shift_id, first_in, last_out, worked_minutes, late_minutes,
       early_minutes, overtime_minutes, late, early_departure, missed_punch, punch_count, computed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  )
  store.transaction(() => {
    for (const d of days) {
      insert.run(d.employeeId, d.date, d.status, d.shiftId, d.firstIn, d.lastOut, d.workedMinutes, d.lateMinutes, d.earlyMinutes,
        d.overtimeMinutes, d.late ? 1 : 0, d.earlyDeparture ? 1 : 0, d.missedPunch ? 1 : 0)
    }
  })
}

export function insertShift(store: Store, name: string, start: string, end: string): number {
  return Number(
    store.sqlite
      .prepare(`INSERT INTO shifts (name, start, "end", created_at, updated_at) VALUES (?, ?, ?, 0, 0)`)
      .run(name, start, end).lastInsertRowid,
  )
}

export function insertHoliday(store: Store, date: string, name: string): void {
  store.sqlite.prepare(`INSERT INTO holidays (date, name, created_at) VALUES (?, ?, 0)`).run(date, name)
}

export interface SeedPunch {
  deviceKey: string
  deviceUserId: string
  employeeId: number | null
  instant: number
  direction?: 'in' | 'out' | null
  source?: string
  manual?: boolean
  deviceId?: number | null
}

export function insertPunches(store: Store, list: SeedPunch[]): void {
  const insert = store.sqlite.prepare(
    `INSERT INTO punches (device_key, device_id, device_user_id, employee_id, instant, direction, source, manual, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  )
  store.transaction(() => {
    for (const p of list) {
      insert.run(p.deviceKey, p.deviceId ?? null, p.deviceUserId, p.employeeId, p.instant, p.direction ?? null, p.source ?? 'import:attlog', p.manual ? 1 : 0)
    }
  })
}

export function insertDevice(store: Store, serial: string, name: string): number {
  return Number(
    store.sqlite.prepare(`INSERT INTO devices (serial, name, created_at, updated_at) VALUES (?, ?, 0, 0)`).run(serial, name).lastInsertRowid,
  )
}

/**
 * The seed 001 month: January 2023 with Saturday and Sunday off. John Doe is present 21 days
 * (2 late, 1 early departure) and absent 1; Łukasz has a half day and a leave day; Zoë joined on
 * the 16th; José is in HR with no department-mates absent.
 */
export function seedJanuary2023(store: Store): {ids: number[]} {
  const ids = insertEmployees(store, [
    {code: 'EMP001', name: 'John Doe', department: 'IT'},
    {code: 'EMP002', name: 'Łukasz Nowak', department: 'IT'},
    {code: 'EMP003', name: 'Zoë Müller', department: 'HR', joinedOn: '2023-01-16'},
    {code: 'EMP004', name: 'José García', department: 'HR'},
  ])
  const [john, lukasz, zoe, jose] = ids
  const shift = insertShift(store, 'Day', '09:00', '17:00')
  const at = (date: string, time: string) => Date.parse(`${date}T${time}:00Z`)
  insertDays(store, [
    ...month(john, '2023-01-01', '2023-01-31', (date, i) => {
      if (i === 4) return 'absent'
      if (i === 1 || i === 7) return {status: 'present', late: true, lateMinutes: 14, shiftId: shift, firstIn: at(date, '09:14'), lastOut: at(date, '17:00')}
      if (i === 10) return {status: 'present', earlyDeparture: true, earlyMinutes: 30, shiftId: shift, firstIn: at(date, '08:55'), lastOut: at(date, '16:30')}
      return {status: 'present', shiftId: shift, firstIn: at(date, '08:55'), lastOut: at(date, '17:05')}
    }),
    ...month(lukasz, '2023-01-01', '2023-01-31', (_d, i) => (i === 3 ? 'half_day' : i === 12 ? 'leave' : 'present')),
    ...month(zoe, '2023-01-16', '2023-01-31', () => 'present'),
    ...month(jose, '2023-01-01', '2023-01-31', () => 'present'),
  ])
  return {ids}
}
