import {describe, expect, it} from 'vitest'

import {
  assertDateFormat,
  formatInZone,
  localDateInZone,
  parseTimestamp,
  resolveWallClock,
  resolveWallClockWithOffset,
  startOfLocalDate,
} from '../../src/time/parse.js'

const utc = (iso: string) => Date.parse(iso)

/** A wall-clock time as parseTimestamp gives it: the normalized text and its fields read as UTC. */
const wall = (local: string) => ({kind: 'wall', local, asUtc: Date.parse(`${local}Z`)})

describe('parseTimestamp: exact instants', () => {
  it('reads ISO 8601 with Z', () => {
    expect(parseTimestamp('2024-12-01T08:30:00Z')).toEqual({kind: 'instant', ms: utc('2024-12-01T08:30:00Z')})
  })
  it('reads ISO 8601 with an offset and keeps the offset', () => {
    expect(parseTimestamp('2024-12-01T08:30:00+03:00')).toEqual({kind: 'instant', ms: utc('2024-12-01T05:30:00Z'), offsetMinutes: 180})
    expect(parseTimestamp('2024-12-01T08:30:00.250-05:30')).toEqual({kind: 'instant', ms: utc('2024-12-01T14:00:00.250Z'), offsetMinutes: -330})
    expect(parseTimestamp('2024-12-01T08:30:00+0530')).toMatchObject({ms: utc('2024-12-01T03:00:00Z'), offsetMinutes: 330})
    expect(parseTimestamp('2024-12-01 08:30+01')).toMatchObject({ms: utc('2024-12-01T07:30:00Z'), offsetMinutes: 60})
  })
  it.each([
    ['2024-12-01T08:30:00+25:00', 'the UTC offset +25:00 is outside ±14:00'],
    ['2024-12-01T08:30:00-15:00', 'the UTC offset -15:00 is outside ±14:00'],
    ['2024-12-01T08:30:00+99:99', 'the UTC offset +99:99 is not an offset (minutes above 59)'],
    ['2024-09-17 08:00:00 GMT +9999', 'the UTC offset +9999 is not an offset (minutes above 59)'],
    ['2024-09-17 08:00:00 GMT +1500', 'the UTC offset +1500 is outside ±14:00'],
  ])('refuses %s: %s', (text, why) => {
    expect(() => parseTimestamp(text)).toThrow(`Invalid timestamp "${text}": ${why}.`)
  })

  it('accepts the extreme offsets places use, +14:00 and -12:00', () => {
    expect(parseTimestamp('2024-12-31T23:00:00+14:00')).toMatchObject({offsetMinutes: 840})
    expect(parseTimestamp('2024-12-31T23:00:00-12:00')).toMatchObject({offsetMinutes: -720})
  })

  it('reads CAMS LogTime with GMT ±HHMM (UTC = wall time − offset)', () => {
    expect(parseTimestamp('2024-09-17 08:00:00 GMT +0300')).toEqual({kind: 'instant', ms: utc('2024-09-17T05:00:00Z'), offsetMinutes: 180})
    expect(parseTimestamp('2024-09-17 05:01:00 GMT +0000')).toEqual({kind: 'instant', ms: utc('2024-09-17T05:01:00Z'), offsetMinutes: 0})
    expect(parseTimestamp('2024-09-17 08:00:00 GMT -0430')).toMatchObject({ms: utc('2024-09-17T12:30:00Z'), offsetMinutes: -270})
  })
  it('reads epoch seconds and milliseconds', () => {
    expect(parseTimestamp('1733041800')).toEqual({kind: 'instant', ms: 1733041800000})
    expect(parseTimestamp('1733041800123')).toEqual({kind: 'instant', ms: 1733041800123})
  })
})

describe('parseTimestamp: wall-clock times', () => {
  it('reads YYYY-MM-DD HH:MM:SS (ZKTeco, push-log) as wall clock', () => {
    expect(parseTimestamp('2026-03-12 08:05:00')).toEqual(wall('2026-03-12T08:05:00'))
    expect(parseTimestamp('2026-03-12 08:05')).toEqual(wall('2026-03-12T08:05:00'))
  })
  it('reads ISO without an offset as wall clock, keeping milliseconds', () => {
    expect(parseTimestamp('2026-03-12T08:05:07')).toEqual(wall('2026-03-12T08:05:07'))
    expect(parseTimestamp('2026-03-12T08:05:07.5')).toEqual(wall('2026-03-12T08:05:07.500'))
    expect(parseTimestamp(' 2026-3-2 8:05:07 ')).toEqual(wall('2026-03-02T08:05:07'))
  })
  it('reads DD/MM/YYYY HH:MM when the day cannot be a month', () => {
    expect(parseTimestamp('31/12/2026 08:05')).toEqual(wall('2026-12-31T08:05:00'))
    expect(parseTimestamp('31-12-2026 20:05:09')).toEqual(wall('2026-12-31T20:05:09'))
    expect(parseTimestamp('31.12.2026 20:05')).toEqual(wall('2026-12-31T20:05:00'))
  })
  it('reads MM/DD/YYYY h:mm AM/PM', () => {
    expect(parseTimestamp('12/31/2026 8:05 PM')).toEqual(wall('2026-12-31T20:05:00'))
    expect(parseTimestamp('12/31/2026 12:05 AM')).toEqual(wall('2026-12-31T00:05:00'))
    expect(parseTimestamp('12/31/2026 12:05 pm')).toEqual(wall('2026-12-31T12:05:00'))
    expect(parseTimestamp('3/4/2026 7:45:10 a.m.', {dateFormat: 'mdy'})).toEqual(wall('2026-03-04T07:45:10'))
  })
  it('needs --date-format for an ambiguous day/month and follows it', () => {
    expect(() => parseTimestamp('03/04/2026 08:00')).toThrow(
      'Invalid timestamp "03/04/2026 08:00": the date is ambiguous (day/month or month/day): pass --date-format dmy or mdy.',
    )
    expect(parseTimestamp('03/04/2026 08:00', {dateFormat: 'dmy'})).toEqual(wall('2026-04-03T08:00:00'))
    expect(parseTimestamp('03/04/2026 08:00', {dateFormat: 'mdy'})).toEqual(wall('2026-03-04T08:00:00'))
    expect(parseTimestamp('04/04/2026 08:00')).toEqual(wall('2026-04-04T08:00:00'))
  })
  it('obeys --date-format and names a date that then does not exist', () => {
    expect(() => parseTimestamp('31/12/2026 08:00', {dateFormat: 'mdy'})).toThrow('2026-31-12 is not a calendar date')
  })
  it('reads YYYY/MM/DD and two-digit years', () => {
    expect(parseTimestamp('2026/12/31 08:05')).toEqual(wall('2026-12-31T08:05:00'))
    expect(parseTimestamp('31/12/26 08:05')).toEqual(wall('2026-12-31T08:05:00'))
  })
  it('knows the leap days: every fourth year, but not 2100, and 2000', () => {
    expect(parseTimestamp('2024-02-29 08:00:00')).toEqual(wall('2024-02-29T08:00:00'))
    expect(parseTimestamp('2000-02-29 08:00:00')).toEqual(wall('2000-02-29T08:00:00'))
    expect(parseTimestamp('2026-12-31 23:59:59')).toEqual(wall('2026-12-31T23:59:59'))
  })
  it('reads a date alone as midnight', () => {
    expect(parseTimestamp('2026-12-31')).toEqual(wall('2026-12-31T00:00:00'))
  })
})

describe('parseTimestamp: bad input names the text', () => {
  it.each([
    ['yesterday', /Invalid timestamp "yesterday": expected ISO 8601/],
    ['2026-02-30 08:00:00', /"2026-02-30 08:00:00": 2026-02-30 is not a calendar date/],
    ['2026-02-29 08:00:00', /2026-02-29 is not a calendar date/],
    ['2100-02-29 08:00:00', /2100-02-29 is not a calendar date/],
    ['2026-04-31 08:00:00', /2026-04-31 is not a calendar date/],
    ['2026-03-12 25:00:00', /25:00:00 is not a time of day/],
    ['13/13/2026 08:00', /not a calendar date/],
    ['2026-03-12 13:00 PM', /does not fit a 12-hour clock/],
    ['', /Invalid timestamp ""/],
  ])('%s', (text, message) => {
    expect(() => parseTimestamp(text)).toThrow(message)
  })
})

describe('resolveWallClock', () => {
  it('resolves in a fixed-offset zone', () => {
    expect(resolveWallClock('2026-03-12T08:05:00', 'Africa/Nairobi')).toBe(utc('2026-03-12T05:05:00Z'))
    expect(resolveWallClock('2026-03-12T08:05:00', 'Asia/Kolkata')).toBe(utc('2026-03-12T02:35:00Z'))
    expect(resolveWallClock('2026-03-12T08:05:00', 'UTC')).toBe(utc('2026-03-12T08:05:00Z'))
  })
  it('resolves on both sides of a DST change', () => {
    expect(resolveWallClock('2026-03-28T12:00:00', 'Europe/Warsaw')).toBe(utc('2026-03-28T11:00:00Z'))
    expect(resolveWallClock('2026-03-29T12:00:00', 'Europe/Warsaw')).toBe(utc('2026-03-29T10:00:00Z'))
    expect(resolveWallClock('2026-03-29T01:59:59', 'Europe/Warsaw')).toBe(utc('2026-03-29T00:59:59Z'))
    expect(resolveWallClock('2026-03-29T03:00:00', 'Europe/Warsaw')).toBe(utc('2026-03-29T01:00:00Z'))
  })
  it('shifts a time in a spring-forward gap forward by the gap (02:30 → 03:30)', () => {
    expect(resolveWallClock('2026-03-29T02:30:00', 'Europe/Warsaw')).toBe(utc('2026-03-29T01:30:00Z'))
    expect(formatInZone(resolveWallClock('2026-03-29T02:30:00', 'Europe/Warsaw'), 'Europe/Warsaw')).toBe('2026-03-29 03:30:00')
    expect(resolveWallClock('2026-03-08T02:15:00', 'America/New_York')).toBe(utc('2026-03-08T07:15:00Z'))
    expect(formatInZone(utc('2026-03-08T07:15:00Z'), 'America/New_York')).toBe('2026-03-08 03:15:00')
  })
  it('takes the earlier instant in a fall-back overlap (01:30 happens twice)', () => {
    // Warsaw 2026-10-25: 03:00 CEST → 02:00 CET, so 02:30 exists at +02:00 and +01:00.
    expect(resolveWallClockWithOffset('2026-10-25T02:30:00', 'Europe/Warsaw')).toEqual({instant: utc('2026-10-25T00:30:00Z'), offsetMinutes: 120})
    expect(resolveWallClock('2026-11-01T01:30:00', 'America/New_York')).toBe(utc('2026-11-01T05:30:00Z'))
    expect(resolveWallClock('2026-10-25T03:00:00', 'Europe/Warsaw')).toBe(utc('2026-10-25T02:00:00Z'))
  })
  it('handles a zone that changes at midnight (America/Santiago: 2026-09-06 00:00 does not exist)', () => {
    const instant = resolveWallClock('2026-09-06T00:30:00', 'America/Santiago')
    expect(formatInZone(instant, 'America/Santiago')).toBe('2026-09-06 01:30:00')
    expect(resolveWallClock('2026-09-06T12:00:00', 'America/Santiago')).toBe(utc('2026-09-06T15:00:00Z'))
  })
  it('gives the same answer from the day cache as from exact resolution', () => {
    for (let h = 0; h < 24; h++) {
      const local = `2026-10-25T${String(h).padStart(2, '0')}:10:00`
      const a = resolveWallClock(local, 'Europe/London')
      expect(resolveWallClock(local, 'Europe/London')).toBe(a)
    }
    expect(resolveWallClock('2026-07-01T09:00:00', 'Europe/London')).toBe(utc('2026-07-01T08:00:00Z'))
    expect(resolveWallClock('2026-12-01T09:00:00', 'Europe/London')).toBe(utc('2026-12-01T09:00:00Z'))
  })
  it('names an unknown zone', () => {
    expect(() => resolveWallClock('2026-03-12T08:05:00', 'Mars/Olympus')).toThrow('Unknown time zone "Mars/Olympus"')
  })
})

describe('local dates', () => {
  it('formats instants and finds local dates and day starts', () => {
    expect(localDateInZone(utc('2026-03-11T22:30:00Z'), 'Africa/Nairobi')).toBe('2026-03-12')
    expect(startOfLocalDate('2026-03-12', 'Africa/Nairobi')).toBe(utc('2026-03-11T21:00:00Z'))
    expect(formatInZone(utc('2026-03-11T22:30:00Z'), 'Africa/Nairobi', false)).toBe('2026-03-12 01:30')
    expect(() => startOfLocalDate('2026-13-01', 'UTC')).toThrow('Invalid date "2026-13-01": expected YYYY-MM-DD.')
  })
  it('validates --date-format', () => {
    expect(assertDateFormat('DMY')).toBe('dmy')
    expect(() => assertDateFormat('ddmm')).toThrow('Unknown date format "ddmm"')
  })
})
