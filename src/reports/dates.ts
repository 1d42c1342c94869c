import {DateTime} from 'luxon'

import {weekdayNumber} from '../time/calendar.js'

/** Presentation of dates and times in reports; calendar arithmetic is in time/calendar, zones in time/local-clock. */

const SHORT_WEEKDAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']
export function shortWeekday(date: string): string {
  return SHORT_WEEKDAYS[weekdayNumber(date) - 1]
}

/** An instant as the v1 API writes it: `2023-02-01T10:00:00Z` (no milliseconds). */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * An instant in the site's time, with the zone and its offset then: a report printed in Nairobi
 * says when it was made in Nairobi, and anyone elsewhere can still tell the instant.
 */
export function siteStamp(ms: number, zone: string): string {
  const local = DateTime.fromMillis(ms, {zone})
  return `${local.toFormat('yyyy-MM-dd HH:mm')} (${zone}, UTC${local.toFormat('ZZ')})`
}

/** `7:05` for 425 minutes. */
export function hoursMinutes(minutes: number): string {
  const sign = minutes < 0 ? '-' : ''
  const abs = Math.abs(Math.round(minutes))
  return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`
}
