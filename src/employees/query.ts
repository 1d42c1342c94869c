import type {employees} from '../db/schema.js'
import type {AttendStore} from '../store/port.js'
import {unknownDepartment, unknownEmployee} from '../errors.js'

/**
 * Reading the directory through the store port. Kept apart from service.ts (which writes) so
 * `attend employees list` loads only what it needs.
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

export function findEmployeeByCode(store: AttendStore, code: string): Promise<Employee | undefined> {
  return store.directory.findEmployee(code)
}

export function getEmployee(store: AttendStore, id: number): Promise<Employee | undefined> {
  return store.directory.getEmployee(id)
}

export async function requireEmployee(store: AttendStore, code: string): Promise<Employee> {
  const employee = await store.directory.findEmployee(code)
  if (!employee) throw unknownEmployee(code)
  return employee
}

/** The department as stored (any case typed matches); an unknown one is named with the ones that exist. */
export async function requireDepartment(store: AttendStore, department: string): Promise<string> {
  const wanted = department.trim()
  const departments = await store.directory.listDepartments()
  const match = departments.find((d) => d.toLowerCase() === wanted.toLowerCase())
  if (!match) throw unknownDepartment(wanted, departments)
  return match
}

export function listEmployees(store: AttendStore, filter: EmployeeFilter = {}): Promise<{rows: Employee[]; total: number}> {
  return store.directory.listEmployees(filter)
}

/** Employees whose name or code contains `term`, for pickers (interactive `map add`). */
export async function searchEmployees(store: AttendStore, term: string, limit = 20): Promise<Employee[]> {
  return (await store.directory.listEmployees({search: term, active: true, limit})).rows
}
