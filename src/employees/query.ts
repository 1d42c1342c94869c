import {and, asc, count, eq, or, sql, type SQL} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {employees} from '../db/schema.js'
import {unknownDepartment, unknownEmployee} from '../errors.js'

/**
 * Reading the directory. Kept apart from service.ts (which writes, and re-resolves punches through
 * the punch pipeline and the attendance engine) so `attend employees list` loads only what it needs.
 */

export type Employee = typeof employees.$inferSelect

export interface EmployeeFilter {
  department?: string
  active?: boolean
  /** Part of the name, code or email, case-insensitive. */
  search?: string
  limit?: number
  offset?: number
}

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

/** Employees whose name or code contains `term`, for pickers (interactive `map add`). */
export function searchEmployees(store: Store, term: string, limit = 20): Employee[] {
  return listEmployees(store, {search: term, active: true, limit}).rows
}
