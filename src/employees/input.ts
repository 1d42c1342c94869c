import type {EmployeeChanges, NewEmployee} from '../store/directory.js'
import {assertDateOrder, validateCode, validateDate, validateDepartment, validateEmail, validateName, validatePhone} from './validate.js'

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
export type EmployeePatch = EmployeeChanges

/** Validates and normalizes an employee before any store is opened. */
export function normalizeEmployeeInput(input: EmployeeInput): NewEmployee {
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

export function normalizeEmployeePatch(patch: EmployeePatch): EmployeeChanges {
  const out: EmployeeChanges = {}
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
 * The next free `EMP0001`-style code given the codes in use: one past the highest EMPn, with as
 * many digits as that code uses (EMP001 → EMP002), four by default.
 */
export function nextEmployeeCode(codes: readonly string[]): string {
  let best: {n: number; width: number} | undefined
  for (const code of codes) {
    const match = /^emp(\d+)$/i.exec(code)
    if (!match) continue
    const n = Number(match[1])
    if (!best || n > best.n) best = {n, width: match[1].length}
  }
  return `EMP${String((best?.n ?? 0) + 1).padStart(best?.width ?? 4, '0')}`
}

/**
 * Punch resolution falls back to "device user id equals the employee code", so a new or renamed
 * code can claim punches stored earlier (or release them). Device user ids are matched
 * case-sensitively, hence the spellings a re-resolution looks at.
 */
export function codeSpellings(codes: readonly string[]): string[] {
  return [...new Set(codes.flatMap((c) => [c, c.toLowerCase(), c.toUpperCase()]))]
}
