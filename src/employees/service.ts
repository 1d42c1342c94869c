import {eq, sql} from 'drizzle-orm'
import {DateTime} from 'luxon'

import {recomputeEmployment} from '../attendance/employment.js'
import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../db/open.js'
import {employees} from '../db/schema.js'
import {ConflictError, UsageError} from '../errors.js'
import {findEmployeeByCode, requireEmployee, type Employee} from './query.js'
import {reresolvePunches} from '../punches/reresolve.js'
import {readSettings} from '../settings/settings.js'
import {queueEvents} from '../webhooks/outbox.js'
import {userCreated, userUpdated} from '../webhooks/payloads.js'
import {
  assertDateOrder,
  validateCode,
  validateDate,
  validateDepartment,
  validateEmail,
  validateName,
  validatePhone,
} from './validate.js'

export type {Employee, EmployeeFilter} from './query.js'
export {findEmployeeByCode, getEmployee, listEmployees, requireEmployee, searchEmployees} from './query.js'

export interface EmployeeInput {
  code?: string
  name: string
  email?: string | null
  phone?: string | null
  department?: string | null
  joinedOn?: string | null
  leftOn?: string | null
}

/** Fields `employees update` may change; undefined = leave as is, null/'' = clear. */
export interface EmployeePatch {
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

type NormalizedInput = Required<Omit<EmployeeInput, 'code'>> & {code?: string}

/** Validates and normalizes an employee before any store is opened. */
export function normalizeEmployeeInput(input: EmployeeInput): NormalizedInput {
  const joinedOn = validateDate(input.joinedOn, 'joined_on')
  const leftOn = validateDate(input.leftOn, 'left_on')
  assertDateOrder(joinedOn, leftOn)
  return {
    code: input.code === undefined ? undefined : validateCode(input.code),
    name: validateName(input.name),
    email: validateEmail(input.email),
    phone: validatePhone(input.phone),
    department: validateDepartment(input.department),
    joinedOn,
    leftOn,
  }
}

export function normalizeEmployeePatch(patch: EmployeePatch): EmployeePatch {
  const out: EmployeePatch = {}
  if (patch.code !== undefined) out.code = validateCode(patch.code)
  if (patch.name !== undefined) out.name = validateName(patch.name)
  if (patch.email !== undefined) out.email = validateEmail(patch.email)
  if (patch.phone !== undefined) out.phone = validatePhone(patch.phone)
  if (patch.department !== undefined) out.department = validateDepartment(patch.department)
  if (patch.joinedOn !== undefined) out.joinedOn = validateDate(patch.joinedOn, 'joined_on')
  if (patch.leftOn !== undefined) out.leftOn = validateDate(patch.leftOn, 'left_on')
  if (patch.active !== undefined) out.active = patch.active
  return out
}

/**
 * The next free `EMP0001`-style code: one past the highest existing EMPn, with as many digits as
 * that code uses (EMP001 → EMP002), four by default.
 */
export function nextEmployeeCode(store: Store): string {
  const digits = sql`substr(${employees.code}, 4)`
  const row = store.db
    .select({n: sql<number>`CAST(${digits} AS INTEGER)`, width: sql<number>`length(${digits})`})
    .from(employees)
    .where(sql`${employees.code} LIKE 'EMP%' AND length(${employees.code}) > 3 AND ${digits} NOT GLOB '*[^0-9]*'`)
    .orderBy(sql`CAST(${digits} AS INTEGER) DESC`)
    .limit(1)
    .get()
  const next = (row?.n ?? 0) + 1
  return `EMP${String(next).padStart(row?.width ?? 4, '0')}`
}

/**
 * Punch resolution falls back to "device user id equals the employee code", so a new or renamed
 * code can claim punches stored earlier (or release them). Device user ids are matched
 * case-sensitively, hence the spellings (all found in the one pass reresolvePunches makes).
 */
export function reresolveCodes(store: Store, codes: readonly string[], now: number): number {
  const ids = new Set(codes.flatMap((c) => [c, c.toLowerCase(), c.toUpperCase()]))
  if (ids.size === 0) return 0
  return reresolvePunches(store, [...ids].map((deviceUserId) => ({deviceUserId, deviceId: null})), now).updated
}

function duplicateCode(code: string, holder: Employee): ConflictError {
  return new ConflictError(`Employee code "${code}" is already used by ${holder.name} (${holder.code}).`)
}

export function createEmployee(store: Store, input: EmployeeInput, now: number): Employee {
  const values = normalizeEmployeeInput(input)
  return store.transaction(() => {
    const code = values.code ?? nextEmployeeCode(store)
    const holder = findEmployeeByCode(store, code)
    if (holder) throw duplicateCode(code, holder)
    const employee = store.db
      .insert(employees)
      .values({...values, code, active: true, createdAt: now, updatedAt: now})
      .returning()
      .get()
    queueEvents(store, [userCreated(employee, now)], now)
    reresolveCodes(store, [code], now)
    return employee
  })
}

/** `employees add`: validates first, so a typo never opens (or creates) the store. */
export function addEmployee(openStore: () => Store, input: EmployeeInput, now: number): Employee {
  normalizeEmployeeInput(input)
  return createEmployee(openStore(), input, now)
}

/**
 * Changes an employee. A new joining or leaving date (or reactivation) recomputes their attendance
 * in the same transaction: days outside the new employment are removed, days it now covers exist.
 */
export function updateEmployee(openStore: () => Store, code: string, patch: EmployeePatch, now: number): EmployeeChange {
  const changes = normalizeEmployeePatch(patch)
  if (Object.keys(changes).length === 0) {
    throw new UsageError('Nothing to update: pass at least one of --code, --name, --email, --phone, --department, --joined-on, --left-on, --active/--inactive.')
  }
  const store = openStore()
  return store.transaction(() => {
    const employee = requireEmployee(store, code)
    if (changes.code !== undefined) {
      const holder = findEmployeeByCode(store, changes.code)
      if (holder && holder.id !== employee.id) throw duplicateCode(changes.code, holder)
    }
    assertDateOrder(changes.joinedOn === undefined ? employee.joinedOn : changes.joinedOn, changes.leftOn === undefined ? employee.leftOn : changes.leftOn)
    const updated = store.db.update(employees).set({...changes, updatedAt: now}).where(eq(employees.id, employee.id)).returning().get()
    announceUpdate(store, employee, updated, now)
    if (updated.code !== employee.code) reresolveCodes(store, [employee.code, updated.code], now)
    return {...updated, recomputed: recomputeEmployment(store, [{employeeId: employee.id, before: employee, after: updated}], now)}
  })
}

/**
 * Marks an employee as having left: inactive from now on, `left_on` set (default: today in the site
 * zone). Their punches and attendance up to that date stay; days after it are removed.
 */
export function deactivateEmployee(openStore: () => Store, code: string, options: {leftOn?: string}, now: number): EmployeeChange {
  const leftOn = options.leftOn === undefined ? undefined : validateDate(options.leftOn, 'left_on')
  const store = openStore()
  return store.transaction(() => {
    const employee = requireEmployee(store, code)
    const day = leftOn ?? employee.leftOn ?? DateTime.fromMillis(now, {zone: readSettings(store).timezone}).toISODate()
    assertDateOrder(employee.joinedOn, day)
    const updated = store.db
      .update(employees)
      .set({active: false, leftOn: day, updatedAt: now})
      .where(eq(employees.id, employee.id))
      .returning()
      .get()
    announceUpdate(store, employee, updated, now)
    return {...updated, recomputed: recomputeEmployment(store, [{employeeId: employee.id, before: employee, after: updated}], now)}
  })
}

/** `user.updated` for a change a receiver can see (nothing when only updated_at moved), in the caller's transaction. */
export function announceUpdate(store: Store, before: Employee, after: Employee, now: number): void {
  const event = userUpdated(before, after, now)
  if (event) queueEvents(store, [event], now)
}
