import type {DayHalf} from '../attendance/engine/types.js'
import type {SiteSettings} from '../settings/settings.js'
import {weekdays} from '../time/weekdays.js'
import type {ReportCalendar} from './types.js'

/** The site calendar of a report's period: week off days, whole and half holidays. */
export function calendarFor(
  settings: SiteSettings,
  holidayDates: ReadonlyMap<string, {name: string; half: DayHalf | null}>,
  from: string,
  to: string,
): ReportCalendar {
  const whole = new Map<string, string>()
  const halves = new Map<string, {name: string; half: DayHalf}>()
  for (const [date, {name, half}] of holidayDates) {
    if (half) halves.set(date, {name, half})
    else whole.set(date, name)
  }
  return {
    from,
    to,
    zone: settings.timezone,
    weekOff: settings.weekOff.map((day) => weekdays.indexOf(day) + 1),
    holidays: whole,
    halfHolidays: halves,
  }
}
