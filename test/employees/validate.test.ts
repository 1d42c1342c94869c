import {describe, expect, it} from 'vitest'

import {validateDepartment, validateEmail, validateName} from '../../src/employees/validate.js'

describe('employee field rules (the input policy)', () => {
  it('names and departments up to 200 characters, quoting at most 80 of a longer one', () => {
    expect(validateName('n'.repeat(200))).toHaveLength(200)
    expect(() => validateName('n'.repeat(201))).toThrow(`The employee name "${'n'.repeat(80)}…" is longer than 200 characters.`)
    expect(validateDepartment('  Human   Resources ')).toBe('Human Resources')
    expect(() => validateDepartment('d'.repeat(201))).toThrow(`The department "${'d'.repeat(80)}…" is longer than 200 characters.`)
  })

  it('quotes a bad email shortened', () => {
    expect(() => validateEmail(`${'a'.repeat(300)}@x`)).toThrow(`Invalid email "${'a'.repeat(80)}…": expected an address such as asha@example.com.`)
  })
})
