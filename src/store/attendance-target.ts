import {unknownDepartment} from '../errors.js'

/** The department as stored (any case typed matches); an unknown one is named with the ones that exist. */
export function matchDepartment(department: string, departments: readonly string[]): string {
  const wanted = department.trim()
  const match = departments.find((d) => d.toLowerCase() === wanted.toLowerCase())
  if (!match) throw unknownDepartment(wanted, departments)
  return match
}
