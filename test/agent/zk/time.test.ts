import {describe, expect, it} from 'vitest'

import {decodePackedTime, decodeTimeBytes, encodePackedTime, fromWallClockText, impossibleDate, wallClockText} from '../../../src/agent/zk/time.js'

const at = (text: string) => fromWallClockText(text)

describe('packed device time (31-day months since 2000)', () => {
  it.each([
    ['2000-01-01 00:00:00', 0],
    ['2000-01-01 00:00:59', 59],
    ['2000-01-02 00:00:00', 86_400],
    ['2000-02-01 00:00:00', 31 * 86_400],
    ['2001-01-01 00:00:00', 372 * 86_400],
    // ((26*12 + 2)*31 + 11)*86400 + (8*60+5)*60 + 0
    ['2026-03-12 08:05:00', ((26 * 12 + 2) * 31 + 11) * 86_400 + 29_100],
    ['2099-12-31 23:59:59', ((99 * 12 + 11) * 31 + 30) * 86_400 + 86_399],
  ])('%s ↔ %i', (text, packed) => {
    expect(encodePackedTime(at(text))).toBe(packed)
    expect(wallClockText(decodePackedTime(packed))).toBe(text)
  })

  it('decodes days the calendar does not have, for the caller to reject', () => {
    const feb30 = ((26 * 12 + 1) * 31 + 29) * 86_400 + 8 * 3600
    expect(wallClockText(decodePackedTime(feb30))).toBe('2026-02-30 08:00:00')
  })
})

describe('impossible dates', () => {
  it.each([
    ['2026-02-30 08:00:00', 'impossible date 2026-02-30 08:00:00: February 2026 has 28 days'],
    ['2026-02-29 08:00:00', 'impossible date 2026-02-29 08:00:00: February 2026 has 28 days'],
    ['2024-02-29 08:00:00', null],
    ['2026-04-31 17:00:00', 'impossible date 2026-04-31 17:00:00: April 2026 has 30 days'],
    ['2026-12-31 23:59:59', null],
    ['2026-03-00 08:00:00', 'impossible date 2026-03-00 08:00:00: March 2026 has 31 days'],
    ['2026-13-01 08:00:00', 'impossible date 2026-13-01 08:00:00: there is no month 13'],
    ['2026-03-12 24:00:00', 'impossible time 2026-03-12 24:00:00'],
  ])('%s → %s', (text, reason) => {
    expect(impossibleDate(at(text))).toBe(reason)
  })
})

describe('six-byte event time', () => {
  it('reads year − 2000, month, day, hour, minute, second', () => {
    expect(wallClockText(decodeTimeBytes(Buffer.from([0xff, 26, 3, 12, 8, 5, 9]), 1))).toBe('2026-03-12 08:05:09')
  })
})
