import {describe, expect, it} from 'vitest'

import {describeValue} from '../../src/formats/describe-value.js'
import {idTooLong, MAX_QUOTED_LENGTH, nameTooLong, offsetOutOfRange, quote, someOf} from '../../src/formats/input-policy.js'

describe('the input policy', () => {
  it('quotes at most ~80 characters of a bad value, on one line', () => {
    expect(quote('EMP001')).toBe('"EMP001"')
    const long = quote('x'.repeat(10_000))
    expect(long).toBe(`"${'x'.repeat(MAX_QUOTED_LENGTH)}…"`)
    expect(quote('a\nb\tc\u0000d')).toBe('"a b c d"')
    expect(describeValue('y'.repeat(5000)).length).toBeLessThan(100)
  })

  it('allows ids up to 64 characters and names up to 200, naming the field otherwise', () => {
    expect(idTooLong('a'.repeat(64), 'employeeId')).toBeNull()
    expect(idTooLong('a'.repeat(65), 'employeeId')).toBe(`employeeId "${'a'.repeat(65)}" is longer than 64 characters.`)
    expect(nameTooLong('n'.repeat(200), 'The department')).toBeNull()
    expect(nameTooLong('n'.repeat(5000), 'The department')).toMatch(/^The department "n{80}…" is longer than 200 characters\.$/)
  })

  it('accepts UTC offsets within ±14:00 only', () => {
    expect(offsetOutOfRange(14 * 60, '+14:00')).toBeNull()
    expect(offsetOutOfRange(-12 * 60, '-12:00')).toBeNull()
    expect(offsetOutOfRange(25 * 60, '+25:00')).toBe('the UTC offset +25:00 is outside ±14:00')
  })

  it('names at most a few of a long list', () => {
    expect(someOf(['A', 'B'])).toBe('A, B')
    expect(someOf(Array.from({length: 40}, (_, i) => `Dept ${i}`))).toBe('Dept 0, Dept 1, Dept 2, Dept 3, Dept 4 and 35 more')
  })
})
