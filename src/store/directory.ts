import type {RecomputeResult} from '../attendance/recompute-result.js'
import type {DayHalf} from '../attendance/engine/types.js'
import type {DeviceUserView} from '../devices/device-users.js'
import type {EmployeeImportOutcome, EmployeeImportRow} from '../employees/import.js'
import type {Employee, EmployeeFilter} from '../employees/query.js'
import type {DeviceUserRecord} from '../formats/zkteco-operlog.js'
import type {Holiday} from '../holidays/service.js'
import type {ApiKeyRecord, ApiScope, RateLimit} from '../keys/service.js'
import type {LeaveView} from '../leaves/service.js'
import type {AddMappingResult, AutoMapResult, MappingImportOutcome, MappingImportRow, MappingView, UnmappedUser} from '../mappings/service.js'
import type {SiteSettings} from '../settings/settings.js'

/** Validated fields of a new employee; no code = the next free EMP0001-style code. */
export interface NewEmployee {
  code?: string
  name: string
  email: string | null
  phone: string | null
  department: string | null
  joinedOn: string | null
  leftOn: string | null
}

/** Validated fields `employees update` changes; undefined = left as is. */
export interface EmployeeChanges {
  code?: string
  name?: string
  email?: string | null
  phone?: string | null
  department?: string | null
  joinedOn?: string | null
  leftOn?: string | null
  active?: boolean
}

/** An updated employee, and the attendance recomputed because their employment dates changed. */
export type EmployeeChange = Employee & {recomputed: RecomputeResult | null}

export interface HolidayImportOutcome {
  added: number
  updated: number
  unchanged: number
  recomputed: RecomputeResult | null
}

export interface NewLeave {
  from: string
  to: string
  type: string | null
  note: string | null
  half: DayHalf | null
}

export interface NewApiKey {
  name: string
  scopes: ApiScope[]
  limits: RateLimit[]
}

/** What `attend config set` writes: the values, and whether a change of them re-decides attendance days. */
export interface SettingsWrite {
  values: Partial<SiteSettings>
  /** The field whose change recomputes every employee's days (default shift, week off). */
  recomputeOnChange?: keyof SiteSettings
}

/**
 * The directory through the store port (docs/architecture.md, "The store port"): employees, the
 * users devices report, the mappings between them, holidays, leaves, the site settings' writes and
 * API keys. Each method is one whole transaction. A change that moves punches (a new code, a
 * mapping) re-resolves them in that transaction; `user.created` / `user.updated` webhook events are
 * queued in it too (the outbox), so no event goes out for a change that rolled back.
 */
export interface Directory {
  findEmployee(code: string): Promise<Employee | undefined>
  getEmployee(id: number): Promise<Employee | undefined>
  listEmployees(filter: EmployeeFilter): Promise<{rows: Employee[]; total: number}>
  /** Every department in use, sorted. */
  listDepartments(): Promise<string[]>
  createEmployee(input: NewEmployee, now: number): Promise<Employee>
  /** Changes the employee with this code (unknown: NotFoundError; a code taken: ConflictError). */
  updateEmployee(code: string, changes: EmployeeChanges, now: number): Promise<EmployeeChange>
  /** Inactive from now on, `left_on` set (default: today in the site zone). */
  deactivateEmployee(code: string, leftOn: string | undefined, now: number): Promise<EmployeeChange>
  /** Upserts validated rows by code (case-insensitive); a row the store refuses is reported, not fatal. */
  importEmployees(rows: readonly EmployeeImportRow[], now: number): Promise<EmployeeImportOutcome>

  listMappings(options: {employeeCode?: string; device?: string}): Promise<MappingView[]>
  listUnmapped(options: {limit?: number}): Promise<UnmappedUser[]>
  addMapping(input: {deviceUserId: string; employeeCode: string; deviceSerial?: string}, now: number): Promise<AddMappingResult>
  removeMapping(input: {deviceUserId: string; deviceSerial?: string}, now: number): Promise<{mapping: MappingView; reresolved: number}>
  autoMap(now: number): Promise<AutoMapResult>
  importMappings(rows: readonly MappingImportRow[], now: number): Promise<MappingImportOutcome>

  /** Stores the users a device reports; the last record per PIN wins. */
  upsertDeviceUsers(deviceId: number, users: readonly DeviceUserRecord[], now: number): Promise<{created: number; updated: number}>
  /** Forgets users a device reports it deleted; returns how many were known. */
  removeDeviceUsers(deviceId: number, deviceUserIds: readonly string[]): Promise<number>
  listDeviceUsers(filter: {deviceId?: number}): Promise<DeviceUserView[]>
  /** The name a device gave this user id: that device's own record first, else any device's. */
  deviceUserName(deviceUserId: string, deviceId?: number | null): Promise<string | null>

  addHoliday(holiday: Holiday, now: number): Promise<RecomputeResult | null>
  /** Holidays in date order; `year` = only those of that year. */
  listHolidays(year?: string): Promise<Holiday[]>
  /** Removes the holiday on `date` and returns it. */
  removeHoliday(date: string, now: number): Promise<{holiday: Holiday; recomputed: RecomputeResult | null}>
  importHolidays(rows: readonly Holiday[], now: number): Promise<HolidayImportOutcome>

  addLeave(employeeCode: string, leave: NewLeave, now: number): Promise<{leave: LeaveView; recomputed: RecomputeResult | null}>
  listLeaves(filter: {employee?: string; from?: string; to?: string}): Promise<LeaveView[]>
  removeLeave(id: number, now: number): Promise<{leave: LeaveView; recomputed: RecomputeResult | null}>

  /** Whether `attend init` has stored settings yet. */
  isInitialized(): Promise<boolean>
  /** Writes settings; returns them all, and the recompute a change of `recomputeOnChange` made. */
  writeSettings(write: SettingsWrite, now: number): Promise<{settings: SiteSettings; recomputed: RecomputeResult | null}>
  /** The stored spelling of the shift named `name` (any case), if it exists. */
  shiftName(name: string): Promise<string | undefined>

  createApiKey(input: NewApiKey, now: number): Promise<{key: string; record: ApiKeyRecord}>
  /** The key's record if `presented` is a current (not revoked) key; constant-time hash comparison. */
  authenticateApiKey(presented: string): Promise<ApiKeyRecord | undefined>
  touchApiKey(id: number, now: number): Promise<void>
  listApiKeys(options: {includeRevoked?: boolean}): Promise<ApiKeyRecord[]>
  revokeApiKey(nameOrPrefix: string, now: number): Promise<ApiKeyRecord>
}
