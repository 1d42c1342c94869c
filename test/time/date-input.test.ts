import {describe, expect, it} from 'vitest'

import {AttendError} from '../../src/errors.js'
import {parseDate, parseDateRange} from '../../src/time/date-input.js'

function failure(fn: () => unknown): AttendError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AttendError) return error
    throw error
  }
  throw new Error('expected a failure')
}

describe('parseDate: the one reader of YYYY-MM-DD', () => {
  it.each([
    ['2026-03-02', '2026-03-02'],
    [' 2026-03-02 ', '2026-03-02'],
    ['2024-02-29', '2024-02-29'],
  ])('reads %j', (text, date) => expect(parseDate(text, '--from')).toBe(date))

  it.each([
    ['2026-02-30', 'Invalid --from "2026-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2026 has 28 days).'],
    ['2025-02-29', 'Invalid --from "2025-02-29": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2025 has 28 days).'],
    ['2026-04-31', 'Invalid --from "2026-04-31": expected a real date written YYYY-MM-DD, such as 2026-03-02 (April 2026 has 30 days).'],
    ['2026-13-01', 'Invalid --from "2026-13-01": expected a real date written YYYY-MM-DD, such as 2026-03-02 (there is no month 13).'],
    ['2026-03-00', 'Invalid --from "2026-03-00": expected a real date written YYYY-MM-DD, such as 2026-03-02 (days start at 01).'],
    ['02/03/2026', 'Invalid --from "02/03/2026": expected a real date written YYYY-MM-DD, such as 2026-03-02.'],
    ['tomorrow', 'Invalid --from "tomorrow": expected a real date written YYYY-MM-DD, such as 2026-03-02.'],
  ])('refuses %j in one sentence, with the flag as param', (text, sentence) => {
    const error = failure(() => parseDate(text, '--from'))
    expect(error.message).toBe(sentence)
    expect(error).toMatchObject({exit: 2, code: 'invalid_date', param: 'from'})
  })

  it('names a field or query parameter as the caller knows it', () => {
    expect(failure(() => parseDate('2026-02-30', 'start_date'))).toMatchObject({param: 'start_date', message: expect.stringMatching(/^Invalid start_date "2026-02-30"/)})
  })
})

describe('parseDateRange', () => {
  it('takes open ends and refuses an end before the start, naming the end', () => {
    expect(parseDateRange(undefined, '2026-03-05')).toEqual({from: null, to: '2026-03-05'})
    expect(parseDateRange('2026-03-01', '2026-03-01')).toEqual({from: '2026-03-01', to: '2026-03-01'})
    const error = failure(() => parseDateRange('2026-03-05', '2026-03-01'))
    expect(error.message).toBe('--to 2026-03-01 is before --from 2026-03-05: the end of the period must not come before its start.')
    expect(error).toMatchObject({exit: 2, code: 'invalid_range', param: 'to'})
    expect(failure(() => parseDateRange('2026-03-05', '2026-03-01', {from: 'start_date', to: 'end_date'})).param).toBe('end_date')
  })
})
