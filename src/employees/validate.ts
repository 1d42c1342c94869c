
import {UsageError} from '../errors.js'
import {nameTooLong, quote} from '../formats/input-policy.js'
import {parseDate} from '../time/date-input.js'

/**
 * Field rules for the employee directory, shared by `employees add|update` and CSV import so a row
 * is rejected for the same reason the command would refuse it.
 */

const CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/
// Deliberately loose: one @, something on both sides, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9 ()./-]{3,24}$/

export function validateCode(value: string): string {
  const code = value.trim()
  if (!code) throw new UsageError('The employee code cannot be empty.', 'invalid_code', {param: 'code'})
  if (!CODE.test(code)) {
    throw new UsageError(
      `Invalid employee code ${quote(value)}: use up to 32 letters, digits, ".", "_", "/" or "-", starting with a letter or digit.`,
      'invalid_code',
      {param: 'code'},
    )
  }
  return code
}

export function validateName(value: string): string {
  const name = value.trim().replace(/\s+/g, ' ')
  if (!name) throw new UsageError('The employee name cannot be empty.', 'invalid_name', {param: 'name'})
  const tooLong = nameTooLong(name, 'The employee name')
  if (tooLong) throw new UsageError(tooLong, 'invalid_name', {param: 'name'})
  return name
}

/** Empty text clears the field (null). */
export function validateEmail(value: string | null | undefined): string | null {
  const email = value?.trim() ?? ''
  if (!email) return null
  if (!EMAIL.test(email) || email.length > 254) throw new UsageError(`Invalid email ${quote(value ?? '')}: expected an address such as asha@example.com.`, 'invalid_email', {param: 'email'})
  return email
}

export function validatePhone(value: string | null | undefined): string | null {
  const phone = value?.trim() ?? ''
  if (!phone) return null
  if (!PHONE.test(phone) || !/\d/.test(phone)) {
    throw new UsageError(`Invalid phone ${quote(value ?? '')}: expected digits, spaces, "+", "-" or parentheses, such as +254 712 345678.`, 'invalid_phone', {param: 'phone'})
  }
  return phone
}

export function validateDepartment(value: string | null | undefined): string | null {
  const department = value?.trim().replace(/\s+/g, ' ') ?? ''
  const tooLong = nameTooLong(department, 'The department')
  if (tooLong) throw new UsageError(tooLong, 'invalid_department', {param: 'department'})
  return department || null
}

/** A real calendar date as `YYYY-MM-DD` (2026-02-30 is refused). */
export function validateDate(value: string | null | undefined, field: string): string | null {
  const text = value?.trim() ?? ''
  if (!text) return null
  return parseDate(text, field)
}

export function assertDateOrder(joinedOn: string | null, leftOn: string | null): void {
  if (joinedOn && leftOn && leftOn < joinedOn) {
    throw new UsageError(`left_on ${leftOn} is before joined_on ${joinedOn}.`, 'invalid_date', {param: 'left_on'})
  }
}
