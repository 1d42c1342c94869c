import {Flags} from '@oclif/core'

import type {ShiftInput} from './input.js'

/** The rule flags `shifts add` and `shifts update` share; values are validated by parseShiftInput. */
export const shiftRuleFlags = {
  start: Flags.string({description: 'Start time HH:MM (24-hour).'}),
  end: Flags.string({description: 'End time HH:MM; at or before the start means the shift crosses midnight.'}),
  'late-grace': Flags.string({description: 'Minutes after the start before a check-in counts as late (default 0).'}),
  'early-grace': Flags.string({description: 'Minutes before the end a check-out may come without an early departure (default 0).'}),
  'half-day-hours': Flags.string({description: 'Worked hours below which the day is a half day (0 = off).'}),
  'absent-hours': Flags.string({description: 'Worked hours below which the day is absent (0 = off).'}),
  before: Flags.string({description: 'Minutes before the start a punch still belongs to the shift (default 60).'}),
  after: Flags.string({description: 'Minutes after the end a punch still belongs to the shift (default 60).'}),
  'check-in-window': Flags.string({description: 'HH:MM-HH:MM: only the first punch in it is the check-in (none to clear).'}),
  'check-out-window': Flags.string({description: 'HH:MM-HH:MM: only the last punch in it is the check-out (none to clear).'}),
  hours: Flags.string({description: 'Worked time: first-last (first IN to last OUT) or pairs (sum of IN/OUT pairs, breaks excluded).', options: ['first-last', 'pairs']}),
  direction: Flags.string({description: 'auto (first punch IN, last OUT) or punch (trust the in/out the punch carries).', options: ['auto', 'punch']}),
  debounce: Flags.string({description: 'Seconds within which repeated punches of one person count once (default 60).'}),
  'week-off': Flags.string({description: 'Weekly off days for this shift, e.g. fri or sat,sun; none; site = the site\'s (default).'}),
  pattern: Flags.string({
    description: 'Other hours on some weekdays, or days off: fri=08:00-12:30,sat=off (wins over --week-off); none to clear.',
  }),
  'mark-late': Flags.string({description: 'Mark late arrivals at all: yes (default) or no.', options: ['yes', 'no']}),
  'mark-early': Flags.string({description: 'Mark early departures at all: yes (default) or no.', options: ['yes', 'no']}),
  overtime: Flags.string({
    description: 'Overtime is work after the end (after-end, default) or also before the start (also-before-start).',
    options: ['after-end', 'also-before-start'],
  }),
  'overtime-min': Flags.string({description: 'Minutes of overtime below which none counts (default 0).'}),
  'overtime-round': Flags.string({description: 'Round overtime down to this many minutes, e.g. 15 (default 0: whole minutes).'}),
  'overtime-cap': Flags.string({description: 'At most this many overtime minutes a day; none (default) for no cap.'}),
}

type RuleFlags = {[K in keyof typeof shiftRuleFlags]?: string}

export function shiftInputFromFlags(flags: RuleFlags): ShiftInput {
  return {
    start: flags.start,
    end: flags.end,
    lateGrace: flags['late-grace'],
    earlyGrace: flags['early-grace'],
    halfDayHours: flags['half-day-hours'],
    absentHours: flags['absent-hours'],
    before: flags.before,
    after: flags.after,
    checkInWindow: flags['check-in-window'],
    checkOutWindow: flags['check-out-window'],
    hours: flags.hours,
    direction: flags.direction,
    debounce: flags.debounce,
    weekOff: flags['week-off'],
    pattern: flags.pattern,
    markLate: flags['mark-late'],
    markEarly: flags['mark-early'],
    overtime: flags.overtime,
    overtimeMin: flags['overtime-min'],
    overtimeRound: flags['overtime-round'],
    overtimeCap: flags['overtime-cap'],
  }
}
