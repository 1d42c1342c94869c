import {IANAZone} from 'luxon'
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

  // The resolution rule written out the long way, with luxon's offsets and no memo: the offsets a
  // day before and after are the candidates, a candidate is valid when the zone has that offset at
  // the instant it gives, the earlier valid one wins, and with none (a gap) the offset before applies.
  function reference(zoneName: string, wallMs: number): {instant: number; offsetMinutes: number} {
    const zone = IANAZone.create(zoneName)
    const before = zone.offset(wallMs - 86_400_000)
    const after = zone.offset(wallMs + 86_400_000)
    const candidates = [before, after]
      .map((offset) => ({instant: wallMs - offset * 60_000, offsetMinutes: offset}))
      .filter((c) => zone.offset(c.instant) === c.offsetMinutes)
      .sort((a, b) => a.instant - b.instant)
    return candidates[0] ?? {instant: wallMs - before * 60_000, offsetMinutes: zone.offset(wallMs - before * 60_000)}
  }

  it.each([
    ['Europe/Warsaw', '2026-03-29T02:00:00', '2026-10-25T02:00:00'],
    ['America/New_York', '2026-03-08T02:00:00', '2026-11-01T01:00:00'],
    // Half-hour transitions (Adelaide changes at half past the UTC hour), a 30-minute DST step
    // (Lord Howe), a half-hour zone (St John's), and a zone that leaves DST for Ramadan and returns.
    ['Australia/Adelaide', '2026-04-05T02:00:00', '2026-10-04T02:00:00'],
    ['Australia/Lord_Howe', '2026-04-05T01:30:00', '2026-10-04T02:00:00'],
    ['America/St_Johns', '2026-03-08T02:00:00', '2026-11-01T00:00:00'],
    ['Africa/Casablanca', '2026-02-15T03:00:00', '2026-03-22T02:00:00'],
    // A whole day skipped (Samoa crossed the date line at the end of 2011).
    ['Pacific/Apia', '2011-12-29T23:00:00', '2011-12-31T00:00:00'],
  ])('resolves every wall time around the transitions of %s as the rule says, memo or not', (zoneName, spring, fall) => {
    const clock = LocalClock.for(zoneName)
    for (const around of [spring, fall]) {
      const centre = wall(around)
      // Every 7 minutes 13 seconds across a day and a half each side: quarters near the change and
      // quarters far from it, each resolved twice (the second time from the memo).
      for (let ms = centre - 36 * 3_600_000; ms <= centre + 36 * 3_600_000; ms += 433_000) {
        const expected = reference(zoneName, ms)
        expect(clock.resolve(ms), `${zoneName} ${new Date(ms).toISOString()}`).toEqual(expected)
        expect(clock.resolve(ms)).toEqual(expected)
      }
    }
  })

  it('reads a wall time far from any change with the offset of its quarter hour', () => {
    const kathmandu = LocalClock.for('Asia/Kathmandu')
    expect(kathmandu.resolve(wall('2026-03-12T08:05:00'))).toEqual({instant: utc('2026-03-12T02:20:00Z'), offsetMinutes: 345})
    expect(kathmandu.resolve(wall('2026-03-12T08:14:59.999'))).toEqual({instant: utc('2026-03-12T02:29:59.999Z'), offsetMinutes: 345})
    // Monrovia's offset was −0:44:30 until 1972: not a whole number of quarter hours, never memoized.
    const monrovia = LocalClock.for('Africa/Monrovia')
    expect(monrovia.resolve(wall('1971-06-01T08:00:00'))).toEqual(reference('Africa/Monrovia', wall('1971-06-01T08:00:00')))
    expect(monrovia.resolve(wall('1973-06-01T08:00:00'))).toEqual({instant: utc('1973-06-01T08:00:00Z'), offsetMinutes: 0})
  })
})
