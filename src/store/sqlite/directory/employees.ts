import {and, asc, count, eq, or, sql, type SQL} from 'drizzle-orm'
import {DateTime} from 'luxon'

import {recomputeEmployment} from '../attendance/employment.js'
import type {Store} from '../../../db/open.js'
import {employees} from '../../../db/schema.js'
import {duplicateCode, planEmployeeRow, type EmployeeImportOutcome, type EmployeeImportRow} from '../../../employees/import-plan.js'
import {codeSpellings, nextEmployeeCode, normalizeEmployeeInput, type EmployeeInput} from '../../../employees/input.js'
import type {Employee, EmployeeFilter} from '../../../employees/query.js'
import {assertDateOrder} from '../../../employees/validate.js'
import {AttendError, unknownDepartment, unknownEmployee} from '../../../errors.js'
import {reresolvePunches} from '../ingest/reresolve.js'
import {readSettings} from '../settings.js'
import {LocalClock} from '../../../time/local-clock.js'
import {queueEvents} from '../webhooks/outbox.js'
import {userCreated, userUpdated} from '../../../webhooks/payloads.js'
import type {EmployeeChange, EmployeeChanges} from '../../directory.js'

/**
 * The employees on SQLite: the synchronous functions behind the directory section's adapter
 * (src/store/sqlite/directory/index.ts). Other sections' SQLite code not yet on the port reads the
 * directory through the readers here (findEmployeeByCode, requireEmployee, requireDepartment).
 */

export function findEmployeeByCode(store: Store, code: string): Employee | undefined {
  return store.db
    .select()
    .from(employees)
    .where(sql`${employees.code} = ${code.trim()} COLLATE NOCASE`)
    .get()
}

export function getEmployee(store: Store, id: number): Employee | undefined {
  return store.db.select().from(employees).where(eq(employees.id, id)).get()
}

export function requireEmployee(store: Store, code: string): Employee {
  const employee = findEmployeeByCode(store, code)
  if (!employee) throw unknownEmployee(code)
  return employee
}

/** Every department in use, sorted. */
export function listDepartments(store: Store): string[] {
  return (
    store.sqlite.prepare('SELECT DISTINCT department FROM employees WHERE department IS NOT NULL ORDER BY department').all() as {department: string}[]
  ).map((row) => row.department)
}

/** The department as stored (any case typed matches); an unknown one is named with the ones that exist. */
export function requireDepartment(store: Store, department: string): string {
  const wanted = department.trim()
  const departments = listDepartments(store)
  const match = departments.find((d) => d.toLowerCase() === wanted.toLowerCase())
  if (!match) throw unknownDepartment(wanted, departments)
  return match
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

export function listEmployees(store: Store, filter: EmployeeFilter = {}): {rows: Employee[]; total: number} {
  const conditions: SQL[] = []
  if (filter.department !== undefined) conditions.push(sql`${employees.department} = ${filter.department.trim()} COLLATE NOCASE`)
  if (filter.active !== undefined) conditions.push(eq(employees.active, filter.active))
  const term = filter.search?.trim()
  if (term) {
    const pattern = `%${escapeLike(term)}%`
    conditions.push(
      or(
        sql`${employees.name} LIKE ${pattern} ESCAPE '\\'`,
        sql`${employees.code} LIKE ${pattern} ESCAPE '\\'`,
        sql`${employees.email} LIKE ${pattern} ESCAPE '\\'`,
      ) as SQL,
    )
  }
  const where = conditions.length > 0 ? and(...conditions) : undefined
  const total = store.db.select({n: count()}).from(employees).where(where).get()?.n ?? 0
  let query = store.db.select().from(employees).where(where).orderBy(asc(sql`${employees.code} COLLATE NOCASE`)).$dynamic()
  // SQLite accepts OFFSET only after a LIMIT.
  if (filter.limit !== undefined || filter.offset) query = query.limit(filter.limit ?? Number.MAX_SAFE_INTEGER)
  if (filter.offset) query = query.offset(filter.offset)
  return {rows: query.all(), total}
}

function employeeCodes(store: Store): string[] {
  return (store.sqlite.prepare("SELECT code FROM employees WHERE code LIKE 'EMP%'").all() as {code: string}[]).map((row) => row.code)
}

function reresolveCodes(store: Store, codes: readonly string[], now: number): number {
  if (codes.length === 0) return 0
  return reresolvePunches(store, codeSpellings(codes).map((deviceUserId) => ({deviceUserId, deviceId: null})), now).updated
}

/** `user.updated` for a change a receiver can see (nothing when only updated_at moved), in the caller's transaction. */
function announceUpdate(store: Store, before: Employee, after: Employee, now: number): void {
  const event = userUpdated(before, after, now)
  if (event) queueEvents(store, [event], now)
}

/** Adds an employee (input validated here too, so test set-ups may pass it raw); `user.created` and re-resolution in its transaction. */
export function createEmployee(store: Store, input: EmployeeInput, now: number): Employee {
  const values = normalizeEmployeeInput(input)
  return store.transaction(() => {
    const code = values.code ?? nextEmployeeCode(employeeCodes(store))
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

export function updateEmployee(store: Store, code: string, changes: EmployeeChanges, now: number): EmployeeChange {
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

export function deactivateEmployee(store: Store, code: string, leftOn: string | undefined, now: number): EmployeeChange {
  return store.transaction(() => {
    const employee = requireEmployee(store, code)
    const day = leftOn ?? employee.leftOn ?? DateTime.fromMillis(now, {zone: readSettings(store).timezone}).toISODate()!
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

/** `employees import`: the rows in one transaction; a row the store refuses is rejected with its line. */
export function importEmployees(store: Store, rows: readonly EmployeeImportRow[], now: number): EmployeeImportOutcome {
  const outcome: EmployeeImportOutcome = {created: 0, updated: 0, unchanged: 0, rejected: [], recomputed: null}
  const today = () => LocalClock.for(readSettings(store).timezone).dateOf(now)
  store.transaction(() => {
    const newCodes: string[] = []
    const employment: Parameters<typeof recomputeEmployment>[1][number][] = []
    for (const row of rows) {
      try {
        const existing = findEmployeeByCode(store, row.code)
        const plan = planEmployeeRow(existing, row, today)
        if (plan.kind === 'unchanged') {
          outcome.unchanged++
        } else if (plan.kind === 'update') {
          const updated = store.db.update(employees).set({...plan.changes, updatedAt: now}).where(eq(employees.id, plan.existing.id)).returning().get()
          announceUpdate(store, plan.existing, updated, now)
          employment.push({employeeId: plan.existing.id, before: plan.existing, after: updated})
          outcome.updated++
        } else {
          const created = store.db.insert(employees).values({...plan.values, createdAt: now, updatedAt: now}).returning().get()
          queueEvents(store, [userCreated(created, now)], now)
          outcome.created++
          newCodes.push(created.code)
        }
      } catch (error) {
        if (!(error instanceof AttendError)) throw error
        outcome.rejected.push({line: row.line, reason: error.message.replace(/\.$/, '')})
      }
    }
    reresolveCodes(store, newCodes, now)
    // New leaving or joining dates leave no day outside employment (see recomputeEmployment).
    outcome.recomputed = recomputeEmployment(store, employment, now)
  })
  return outcome
}
