import {describe, expect, it} from 'vitest'

import {addDays, datesBetween, dayCount, isValidDate, weekdayNumber, weekdayOfDate} from '../../src/time/calendar.js'

describe('calendar dates', () => {
  it('moves a date inside its month and across month, year and leap-day boundaries', () => {
    expect(addDays('2026-03-10', 5)).toBe('2026-03-15')
    expect(addDays('2026-03-10', -9)).toBe('2026-03-01')
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31')
    expect(addDays('2026-01-15', 365)).toBe('2027-01-15')
  })

  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isValidDate('2028-02-29')).toBe(true)
    expect(isValidDate('2026-02-29')).toBe(false)
    expect(isValidDate('2100-02-29')).toBe(false)
    expect(isValidDate('2000-02-29')).toBe(true)
    expect(isValidDate('2026-04-31')).toBe(false)
    expect(isValidDate('2026-13-01')).toBe(false)
    expect(isValidDate('2026-00-10')).toBe(false)
    expect(isValidDate('2026-3-1')).toBe(false)
    expect(isValidDate('01/03/2026')).toBe(false)
  })

  it('lists and counts the dates of a range, both ends included', () => {
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
    expect(datesBetween('2026-03-02', '2026-03-01')).toEqual([])
    expect(dayCount('2026-01-01', '2026-12-31')).toBe(365)
    expect(dayCount('2026-03-01', '2026-03-01')).toBe(1)
  })

  it('names weekdays Monday first', () => {
    expect(weekdayNumber('2026-11-23')).toBe(1)
    expect(weekdayOfDate('2026-11-23')).toBe('mon')
    expect(weekdayNumber('2026-11-29')).toBe(7)
    expect(weekdayOfDate('2026-11-29')).toBe('sun')
  })
})
