import {describe, expect, it} from 'vitest'

import {LocalClock} from '../../src/time/local-clock.js'

const utc = (text: string) => Date.parse(text)
const wall = (text: string) => Date.parse(`${text}Z`)

describe('LocalClock', () => {
  it('is shared per zone and refuses a name that is not an IANA zone', () => {
    expect(LocalClock.for('Europe/Warsaw')).toBe(LocalClock.for('Europe/Warsaw'))
    expect(() => LocalClock.for('Mars/Olympus_Mons')).toThrow('Unknown time zone "Mars/Olympus_Mons"')
  })

  it('turns a local date and minute into an instant, past midnight included', () => {
    const nairobi = LocalClock.for('Africa/Nairobi')
    expect(nairobi.at('2026-03-12', 8 * 60)).toBe(utc('2026-03-12T05:00:00Z'))
    expect(nairobi.at('2026-03-12', 1440 + 6 * 60)).toBe(utc('2026-03-13T03:00:00Z'))
    expect(LocalClock.for('UTC').at('2026-03-12', 0)).toBe(utc('2026-03-12T00:00:00Z'))
  })

  it('moves a wall time inside a spring-forward gap forward by the gap', () => {
    const warsaw = LocalClock.for('Europe/Warsaw')
    // 2026-03-29 02:00 → 03:00 in Warsaw: 02:30 does not exist and reads as 03:30 (+02:00).
    expect(warsaw.resolve(wall('2026-03-29T02:30:00'))).toEqual({instant: utc('2026-03-29T01:30:00Z'), offsetMinutes: 120})
    expect(warsaw.at('2026-03-29', 150)).toBe(utc('2026-03-29T01:30:00Z'))
  })

  it('takes the earlier of a wall time that happens twice at a fall-back', () => {
    const warsaw = LocalClock.for('Europe/Warsaw')
    // 2026-10-25 03:00 → 02:00: 02:30 happens at +02:00 and again at +01:00.
    expect(warsaw.resolve(wall('2026-10-25T02:30:00'))).toEqual({instant: utc('2026-10-25T00:30:00Z'), offsetMinutes: 120})
    expect(warsaw.resolve(wall('2026-10-25T12:00:00'))).toEqual({instant: utc('2026-10-25T11:00:00Z'), offsetMinutes: 60})
  })

  it('knows zones that change at half past the UTC hour and offsets with 45 minutes', () => {
    const adelaide = LocalClock.for('Australia/Adelaide')
    // Adelaide leaves daylight time on 2026-04-05 at 03:00 local (16:30 UTC the day before).
    expect(adelaide.offsetMinutes(utc('2026-04-04T16:29:00Z'))).toBe(630)
    expect(adelaide.offsetMinutes(utc('2026-04-04T16:30:00Z'))).toBe(570)
    expect(LocalClock.for('Asia/Kathmandu').iso(utc('2026-03-12T00:00:00Z'))).toBe('2026-03-12T05:45:00+05:45')
  })

  it('formats instants as local dates and times', () => {
    const newYork = LocalClock.for('America/New_York')
    const instant = utc('2026-03-12T03:04:05Z')
    expect(newYork.dateOf(instant)).toBe('2026-03-11')
    expect(newYork.iso(instant)).toBe('2026-03-11T23:04:05-04:00')
    expect(newYork.time(instant)).toBe('23:04')
    expect(newYork.timeWithSeconds(instant)).toBe('23:04:05')
    expect(LocalClock.for('UTC').iso(instant)).toBe('2026-03-12T03:04:05Z')
  })
})
