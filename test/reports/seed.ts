import type {Store} from '../../src/db/open.js'
import {datesBetween, weekdayNumber} from '../../src/time/calendar.js'
import type {DayRecord} from '../../src/reports/types.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import type {AttendStore} from '../../src/store/port.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import type {EngineStore} from '../helpers/engines.js'

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

/** A value as SQL text both engines read alike (booleans as TRUE/FALSE). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'number') return String(value)
  return `'${String(value).replace(/'/g, "''")}'`
}

/** One INSERT of `rows` into `table`, returning the new ids (both engines accept it). */
export function insertSql(table: string, rows: readonly Record<string, unknown>[]): string {
  const columns = Object.keys(rows[0])
  const values = rows.map((row) => `(${columns.map((column) => literal(row[column])).join(', ')})`)
  return `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values.join(', ')} RETURNING id`
}

/** Where seed rows go: a SQLite store (synchronously) or either engine's test store. */
export type SeedTarget = Store | EngineStore

type Seeded<T extends SeedTarget, V> = T extends Store ? V : Promise<V>

function insert<T extends SeedTarget>(target: T, table: string, rows: readonly Record<string, unknown>[]): Seeded<T, number[]> {
  if (rows.length === 0) return ('sqlite' in target ? [] : Promise.resolve([])) as unknown as Seeded<T, number[]>
  const sql = insertSql(table, rows)
  if ('sqlite' in target) return (target.sqlite.prepare(sql).all() as {id: number}[]).map((row) => row.id) as Seeded<T, number[]>
  return (target as EngineStore).all<{id: number}>(sql).then((result) => result.map((row) => Number(row.id))) as Seeded<T, number[]>
}

const first = <T extends SeedTarget>(target: T, ids: Seeded<T, number[]>): Seeded<T, number> =>
  (Array.isArray(ids) ? ids[0] : (ids as Promise<number[]>).then((list) => list[0])) as Seeded<T, number>

export function insertEmployees<T extends SeedTarget>(store: T, list: SeedEmployee[]): Seeded<T, number[]> {
  return insert(
    store,
    'employees',
    list.map((e) => ({
      code: e.code, name: e.name, department: e.department ?? null, active: e.active !== false, joined_on: e.joinedOn ?? null,
      left_on: e.leftOn ?? null, created_at: 0, updated_at: 0,
    })),
  )
}

export function insertDays<T extends SeedTarget>(store: T, days: DayRecord[]): Seeded<T, void> {
  const rows = days.map((d) => ({
    employee_id: d.employeeId, date: d.date, status: d.status, shift_id: d.shiftId, first_in: d.firstIn, last_out: d.lastOut,
    worked_minutes: d.workedMinutes, late_minutes: d.lateMinutes, early_minutes: d.earlyMinutes, overtime_minutes: d.overtimeMinutes,
    late: d.late, early_departure: d.earlyDeparture, missed_punch: d.missedPunch, punch_count: 0, computed_at: 0,
  }))
  const ids = insert(store, 'attendance_days', rows)
  return (Array.isArray(ids) ? undefined : (ids as Promise<number[]>).then(() => undefined)) as Seeded<T, void>
}

export function insertShift<T extends SeedTarget>(store: T, name: string, start: string, end: string): Seeded<T, number> {
  return first(store, insert(store, 'shifts', [{name, start, end, created_at: 0, updated_at: 0}]))
}

export function insertHoliday<T extends SeedTarget>(store: T, date: string, name: string): Seeded<T, number> {
  return first(store, insert(store, 'holidays', [{date, name, created_at: 0}]))
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

export function insertPunches<T extends SeedTarget>(store: T, list: SeedPunch[]): Seeded<T, number[]> {
  return insert(
    store,
    'punches',
    list.map((p) => ({
      device_key: p.deviceKey, device_id: p.deviceId ?? null, device_user_id: p.deviceUserId, employee_id: p.employeeId, instant: p.instant,
      direction: p.direction ?? null, source: p.source ?? 'import:attlog', manual: Boolean(p.manual), received_at: 0,
    })),
  )
}

export function insertDevice<T extends SeedTarget>(store: T, serial: string, name: string): Seeded<T, number> {
  return first(store, insert(store, 'devices', [{serial, name, created_at: 0, updated_at: 0}]))
}

/**
 * The seed 001 month: January 2023 with Saturday and Sunday off. John Doe is present 21 days
 * (2 late, 1 early departure) and absent 1; Łukasz has a half day and a leave day; Zoë joined on
 * the 16th; José is in HR with no department-mates absent.
 */
export function seedJanuary2023(store: Store): {ids: number[]} {
  const ids = insertEmployees(store, JANUARY_PEOPLE)
  const shift = insertShift(store, 'Day', '09:00', '17:00')
  insertDays(store, januaryDays(ids, shift))
  return {ids}
}

/** The seed 001 month on either engine's test store. */
export async function seedJanuary2023On(store: EngineStore): Promise<{ids: number[]}> {
  const ids = await insertEmployees(store, JANUARY_PEOPLE)
  const shift = await insertShift(store, 'Day', '09:00', '17:00')
  await insertDays(store, januaryDays(ids, shift))
  return {ids}
}

const JANUARY_PEOPLE: SeedEmployee[] = [
    {code: 'EMP001', name: 'John Doe', department: 'IT'},
    {code: 'EMP002', name: 'Łukasz Nowak', department: 'IT'},
    {code: 'EMP003', name: 'Zoë Müller', department: 'HR', joinedOn: '2023-01-16'},
    {code: 'EMP004', name: 'José García', department: 'HR'},
]

function januaryDays(ids: number[], shift: number): DayRecord[] {
  const [john, lukasz, zoe, jose] = ids
  const at = (date: string, time: string) => Date.parse(`${date}T${time}:00Z`)
  return [
    ...month(john, '2023-01-01', '2023-01-31', (date, i) => {
      if (i === 4) return 'absent'
      if (i === 1 || i === 7) return {status: 'present', late: true, lateMinutes: 14, shiftId: shift, firstIn: at(date, '09:14'), lastOut: at(date, '17:00')}
      if (i === 10) return {status: 'present', earlyDeparture: true, earlyMinutes: 30, shiftId: shift, firstIn: at(date, '08:55'), lastOut: at(date, '16:30')}
      return {status: 'present', shiftId: shift, firstIn: at(date, '08:55'), lastOut: at(date, '17:05')}
    }),
    ...month(lukasz, '2023-01-01', '2023-01-31', (_d, i) => (i === 3 ? 'half_day' : i === 12 ? 'leave' : 'present')),
    ...month(zoe, '2023-01-16', '2023-01-31', () => 'present'),
    ...month(jose, '2023-01-01', '2023-01-31', () => 'present'),
  ]
}

/** The store port over a SQLite test store (writes through a group commit of its own). */
export function portOf(store: Store): AttendStore {
  return sqliteAttendStore(store, new GroupCommit(store))
}
