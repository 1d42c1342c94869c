import {UsageError} from '../errors.js'

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof weekdays)[number]

const aliases: Record<string, Weekday> = {
  mon: 'mon', monday: 'mon', tue: 'tue', tues: 'tue', tuesday: 'tue', wed: 'wed', wednesday: 'wed',
  thu: 'thu', thur: 'thu', thurs: 'thu', thursday: 'thu', fri: 'fri', friday: 'fri',
  sat: 'sat', saturday: 'sat', sun: 'sun', sunday: 'sun',
}

/** Parses `sat,sun` (or `none`/empty for a seven-day week) into weekday keys, in week order. */
export function parseWeekdays(text: string, what = 'week off days'): Weekday[] {
  const trimmed = text.trim().toLowerCase()
  if (trimmed === '' || trimmed === 'none') return []
  const days = new Set<Weekday>()
  for (const part of trimmed.split(',')) {
    const day = aliases[part.trim()]
    if (!day) throw new UsageError(`Unknown weekday "${part.trim()}" in ${what}: expected names such as sat,sun (mon … sun), or none.`, 'invalid_weekday')
    days.add(day)
  }
  return weekdays.filter((d) => days.has(d))
}

/** Luxon's weekday number (1 = Monday … 7 = Sunday) → key. */
export function weekdayOf(luxonWeekday: number): Weekday {
  return weekdays[luxonWeekday - 1]
}
