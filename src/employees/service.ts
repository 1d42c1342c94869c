import {UsageError} from '../errors.js'
import type {EmployeeChange} from '../store/directory.js'
import type {AttendStore} from '../store/port.js'
import {normalizeEmployeeInput, normalizeEmployeePatch, type EmployeeInput, type EmployeePatch} from './input.js'
import type {Employee} from './query.js'
import {validateDate} from './validate.js'

export type {EmployeeChange} from '../store/directory.js'
export type {EmployeeInput, EmployeePatch} from './input.js'
export {nextEmployeeCode, normalizeEmployeeInput, normalizeEmployeePatch} from './input.js'
export type {Employee, EmployeeFilter} from './query.js'
export {findEmployeeByCode, getEmployee, listEmployees, requireEmployee, searchEmployees} from './query.js'

/**
 * Adds an employee: validated before the store is touched (so a typo never opens or creates it);
 * a code already held (any case) is a ConflictError naming the holder. `user.created` is queued and
 * punches stored under the new code are claimed in the same transaction.
 */
export async function createEmployee(store: AttendStore, input: EmployeeInput, now: number): Promise<Employee> {
  return store.directory.createEmployee(normalizeEmployeeInput(input), now)
}

/**
 * Changes an employee. A new joining or leaving date (or reactivation) recomputes their attendance
 * in the same transaction: days outside the new employment are removed, days it now covers exist.
 */
export async function updateEmployee(store: AttendStore, code: string, patch: EmployeePatch, now: number): Promise<EmployeeChange> {
  const changes = normalizeEmployeePatch(patch)
  if (Object.keys(changes).length === 0) {
    throw new UsageError('Nothing to update: pass at least one of --code, --name, --email, --phone, --department, --joined-on, --left-on, --active/--inactive.')
  }
  return store.directory.updateEmployee(code, changes, now)
}

/**
 * Marks an employee as having left: inactive from now on, `left_on` set (default: today in the site
 * zone). Their punches and attendance up to that date stay; days after it are removed.
 */
export async function deactivateEmployee(store: AttendStore, code: string, options: {leftOn?: string}, now: number): Promise<EmployeeChange> {
  const leftOn = options.leftOn === undefined ? undefined : (validateDate(options.leftOn, 'left_on') ?? undefined)
  return store.directory.deactivateEmployee(code, leftOn, now)
}
