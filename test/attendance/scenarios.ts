/**
 * The attendance engine's specification as plain data: shift settings, punches and "now" in,
 * expected day records out. Times are local to the scenario's zone.
 *
 * Punch shorthand: `HH:MM[:SS]` on the scenario's first date, or `YYYY-MM-DD HH:MM[:SS][±HH:MM]`;
 * then optionally ` in` / ` out` (what the punch says) and ` @in` / ` @out` (a device of that
 * direction). Expected `in`/`out` are `HH:MM[:SS]` on the record's date or a full local timestamp.
 */
import type {ShiftRule} from '../../src/attendance/engine/index.js'
import {parseClock, parseWindow} from '../../src/shifts/parse.js'
import type {Weekday} from '../../src/time/weekdays.js'

export interface ShiftSpec {
  id?: number
  name?: string
  start: string
  end: string
  lateGrace?: number
  earlyGrace?: number
  halfDay?: number
  absent?: number
  before?: number
  after?: number
  inWindow?: string
  outWindow?: string
  hours?: 'first-last' | 'pairs'
  direction?: 'auto' | 'punch'
  debounce?: number
  weekOff?: Weekday[]
}

export interface ExpectedDay {
  date?: string
  status?: string
  in?: string | null
  out?: string | null
  worked?: number
  late?: boolean
  lateMin?: number
  early?: boolean
  earlyMin?: number
  overtime?: number
  missed?: boolean
  count?: number
  shiftId?: number | null
}

export interface Scenario {
  name: string
  zone?: string
  /** The shift on every date; null = no shift at all. Default: DAY. */
  shift?: ShiftSpec | null
  /** Shifts for particular dates, over `shift`. */
  shiftsByDate?: Record<string, ShiftSpec | null>
  holidays?: string[]
  weekOff?: Weekday[]
  leaves?: Array<{from: string; to: string; type?: string}>
  joinedOn?: string
  leftOn?: string
  from: string
  to?: string
  /** Local time; default: long after every scenario. */
  now?: string
  punches: string[]
  /** Every record produced, in date order. */
  expect: ExpectedDay[]
}

export const DAY: ShiftSpec = {id: 1, start: '08:00', end: '17:00'}
const NIGHT: ShiftSpec = {id: 2, start: '22:00', end: '06:00'}
const LATE_NIGHT: ShiftSpec = {id: 3, start: '23:00', end: '01:00'}
const MON = '2026-03-02'
const TUE = '2026-03-03'

export const scenarios: Scenario[] = [
  // — on time, late, early —
  {name: 'on time: both punches inside the shift margins', from: MON, punches: ['07:58', '17:02'],
    expect: [{status: 'present', in: '07:58', out: '17:02', worked: 544, late: false, early: false, overtime: 4, missed: false, count: 2, shiftId: 1}]},
  {name: 'late within grace is not late', shift: {...DAY, lateGrace: 10}, from: MON, punches: ['08:10', '17:00'],
    expect: [{status: 'present', late: false, lateMin: 0}]},
  {name: 'late over grace keeps the minutes late from the shift start', shift: {...DAY, lateGrace: 10}, from: MON, punches: ['08:11', '17:00'],
    expect: [{status: 'present', late: true, lateMin: 11, worked: 529}]},
  {name: 'half a minute past grace is late; minutes late are whole minutes as the clock shows them', shift: {...DAY, lateGrace: 10}, from: MON,
    punches: ['08:10:30', '17:00'],
    expect: [{late: true, lateMin: 10, in: '08:10:30'}]},
  {name: 'an early departure counts the minutes the clock shows', shift: {...DAY, earlyGrace: 10}, from: MON, punches: ['08:00', '16:49:30'],
    expect: [{early: true, earlyMin: 11}]},
  {name: 'early exit beyond grace', shift: {...DAY, earlyGrace: 15}, from: MON, punches: ['08:00', '16:30'],
    expect: [{status: 'present', early: true, earlyMin: 30, late: false}]},
  {name: 'early exit within grace is not an early departure', shift: {...DAY, earlyGrace: 15}, from: MON, punches: ['08:00', '16:45'],
    expect: [{early: false, earlyMin: 0}]},
  {name: 'overtime is worked time beyond the shift length', from: MON, punches: ['07:00', '18:00'],
    expect: [{status: 'present', worked: 660, overtime: 120}]},

  // — thresholds —
  {name: 'below the half-day threshold: half day', shift: {...DAY, halfDay: 6, absent: 2}, from: MON, punches: ['08:00', '12:00'],
    expect: [{status: 'half_day', worked: 240, early: true, earlyMin: 300}]},
  {name: 'below the absent threshold: absent despite punches', shift: {...DAY, halfDay: 6, absent: 2}, from: MON, punches: ['08:00', '09:30'],
    expect: [{status: 'absent', worked: 90, count: 2}]},
  {name: 'exactly the half-day threshold is present', shift: {...DAY, halfDay: 6}, from: MON, punches: ['08:00', '14:00'],
    expect: [{status: 'present', worked: 360}]},
  {name: 'thresholds of 0 are off', from: MON, punches: ['08:00', '09:00'],
    expect: [{status: 'present', worked: 60}]},
  {name: 'absent threshold above the half-day one wins', shift: {...DAY, halfDay: 4, absent: 5}, from: MON, punches: ['08:00', '12:30'],
    expect: [{status: 'absent', worked: 270}]},
  {name: 'single punch: present with missed_punch', from: MON, punches: ['08:02'],
    expect: [{status: 'present', in: '08:02', out: null, worked: 0, missed: true, count: 1}]},
  {name: 'single punch under an absent threshold: absent with missed_punch', shift: {...DAY, absent: 4}, from: MON, punches: ['08:02'],
    expect: [{status: 'absent', missed: true}]},
  {name: 'no punch on a working day is absent', from: MON, punches: [],
    expect: [{status: 'absent', in: null, out: null, worked: 0, count: 0, missed: false}]},

  // — windows (seed 004) —
  {name: 'windows: punches outside both windows are ignored', shift: {...DAY, inWindow: '07:00-09:00', outWindow: '16:00-19:00'},
    from: MON, punches: ['07:30', '12:00', '17:30'],
    expect: [{status: 'present', in: '07:30', out: '17:30', worked: 600, count: 2}]},
  {name: 'windows: first in the IN window wins, last in the OUT window wins', shift: {...DAY, inWindow: '07:00-09:00', outWindow: '16:00-19:00'},
    from: MON, punches: ['07:10', '08:40', '16:10', '18:00'],
    expect: [{in: '07:10', out: '18:00', count: 4}]},
  {name: 'windows: every punch outside both windows means absent', shift: {...DAY, inWindow: '07:00-09:00', outWindow: '16:00-19:00'},
    from: MON, punches: ['12:00', '13:00'],
    expect: [{status: 'absent', count: 0, in: null, out: null}]},
  {name: 'windows: a check-in only is a missed punch', shift: {...DAY, inWindow: '07:00-09:00', outWindow: '16:00-19:00'},
    from: MON, punches: ['07:45', '13:00'],
    expect: [{status: 'present', in: '07:45', out: null, missed: true, count: 1}]},
  {name: 'windows wider than the margins still count', shift: {...DAY, inWindow: '06:00-09:00', outWindow: '16:00-20:00'},
    from: MON, punches: ['06:15', '19:30'],
    expect: [{in: '06:15', out: '19:30', worked: 795}]},
  {name: 'night shift windows land on the right dates', shift: {...NIGHT, inWindow: '21:00-23:00', outWindow: '05:00-07:00'},
    from: MON, to: MON, punches: ['21:30', '2026-03-03 02:00', '2026-03-03 06:30'],
    expect: [{date: MON, in: '21:30', out: '2026-03-03 06:30', worked: 540, count: 2, shiftId: 2}]},

  // — direction —
  {name: 'an OUT device punch is never the check-in', from: MON, punches: ['07:50 @out', '08:05', '17:00'],
    expect: [{in: '08:05', out: '17:00', late: true, lateMin: 5, count: 3}]},
  {name: 'an IN device punch is never the check-out', from: MON, punches: ['08:00', '17:00 @in'],
    expect: [{in: '08:00', out: null, missed: true}]},
  {name: 'IN and OUT devices decide the roles among other punches', from: MON, punches: ['08:00 @in', '12:00 @in', '13:00', '17:00 @out'],
    expect: [{in: '08:00', out: '17:00', worked: 540}]},
  {name: 'device direction applies under --direction auto even when the punch says otherwise', from: MON, punches: ['08:00 out @in', '17:00 in @out'],
    expect: [{in: '08:00', out: '17:00'}]},
  {name: '--direction punch trusts explicit in/out', shift: {...DAY, direction: 'punch'}, from: MON,
    punches: ['07:40 out', '08:00 in', '12:00 out', '13:00 in', '17:00 out', '17:20 in'],
    expect: [{in: '08:00', out: '17:00', worked: 540, count: 6}]},
  {name: '--direction punch with a missing IN', shift: {...DAY, direction: 'punch'}, from: MON, punches: ['17:00 out'],
    expect: [{status: 'present', in: null, out: '17:00', missed: true, late: false, worked: 0}]},
  {name: '--direction punch with a missing OUT', shift: {...DAY, direction: 'punch'}, from: MON, punches: ['08:00 in', '12:00 in'],
    expect: [{in: '08:00', out: null, missed: true, early: false}]},
  {name: '--direction auto ignores what punches say: first IN, last OUT', from: MON, punches: ['08:00 out', '17:00 in'],
    expect: [{in: '08:00', out: '17:00', worked: 540}]},

  // — hours modes —
  {name: 'pairs: the lunch break is excluded', shift: {...DAY, hours: 'pairs'}, from: MON, punches: ['08:00', '12:00', '13:00', '17:00'],
    expect: [{status: 'present', in: '08:00', out: '17:00', worked: 480, overtime: 0, missed: false}]},
  {name: 'pairs: an odd punch adds nothing and flags missed_punch', shift: {...DAY, hours: 'pairs'}, from: MON, punches: ['08:00', '12:00', '13:00'],
    expect: [{in: '08:00', out: '13:00', worked: 240, missed: true, early: true, earlyMin: 240}]},
  {name: 'pairs with explicit directions: a stray OUT adds nothing', shift: {...DAY, hours: 'pairs', direction: 'punch'}, from: MON,
    punches: ['08:00 in', '12:00 out', '12:30 out', '13:00 in', '17:00 out'],
    expect: [{worked: 480, missed: true, in: '08:00', out: '17:00'}]},
  {name: 'first-last counts the break as worked', from: MON, punches: ['08:00', '12:00', '13:00', '17:00'],
    expect: [{worked: 540, missed: false}]},

  // — debounce —
  {name: 'debounce: a double tap within 60 s counts once', shift: {...DAY, hours: 'pairs'}, from: MON, punches: ['08:00:00', '08:00:40', '17:00'],
    expect: [{worked: 540, count: 2, missed: false}]},
  {name: 'debounce 0 keeps every punch', shift: {...DAY, hours: 'pairs', debounce: 0}, from: MON, punches: ['08:00:00', '08:00:40', '17:00'],
    expect: [{worked: 0, count: 3, missed: true}]},
  {name: 'debounce measures from the last kept punch', from: MON, punches: ['08:00:00', '08:00:50', '08:01:40', '17:00'],
    expect: [{count: 3, in: '08:00', out: '17:00'}]},

  // — night shifts —
  {name: 'night 22:00-06:00: punches on both dates make one record on the start date', shift: NIGHT, from: MON, to: TUE,
    punches: ['21:55', '2026-03-03 06:05'],
    expect: [
      {date: MON, status: 'present', in: '21:55', out: '2026-03-03 06:05', worked: 490, late: false, early: false, overtime: 10},
      {date: TUE, status: 'absent', count: 0},
    ]},
  {name: 'night 23:00-01:00 with punches on both dates', shift: LATE_NIGHT, from: MON, to: TUE,
    punches: ['22:58', '2026-03-03 01:03', '2026-03-03 23:10', '2026-03-04 00:40'],
    expect: [
      {date: MON, status: 'present', in: '22:58', out: '2026-03-03 01:03', worked: 125, overtime: 5},
      {date: TUE, status: 'present', in: '23:10', out: '2026-03-04 00:40', late: true, lateMin: 10, early: true, earlyMin: 20},
    ]},
  {name: 'night shift: late and early are measured across midnight', shift: {...NIGHT, lateGrace: 5}, from: MON,
    punches: ['22:20', '2026-03-03 05:00'],
    expect: [{late: true, lateMin: 20, early: true, earlyMin: 60, worked: 400}]},

  // — margins —
  {name: 'margin before: exactly start − before belongs, a second earlier does not', from: MON, punches: ['06:59:59', '07:00:00', '17:00'],
    expect: [{in: '07:00', count: 2}]},
  {name: 'margin after: exactly end + after belongs', from: MON, punches: ['08:00', '18:00:00'],
    expect: [{out: '18:00', missed: false}]},
  {name: 'margin after: a minute past end + after does not belong', from: MON, punches: ['08:00', '18:01'],
    expect: [{out: null, missed: true, count: 1}]},
  {name: 'overlapping margins: the earlier shift takes the overlap', from: MON, to: TUE,
    shiftsByDate: {[MON]: {...NIGHT, after: 120}, [TUE]: {id: 4, start: '07:00', end: '15:00'}},
    punches: ['21:58', '2026-03-03 06:30', '2026-03-03 07:55', '2026-03-03 08:05', '2026-03-03 15:00'],
    expect: [
      {date: MON, in: '21:58', out: '2026-03-03 07:55', count: 3, shiftId: 2},
      {date: TUE, in: '08:05', out: '15:00', late: true, lateMin: 65, count: 2, shiftId: 4},
    ]},
  {name: 'margins meeting at one instant: the earlier shift gets it', from: MON, to: TUE,
    shiftsByDate: {[MON]: NIGHT, [TUE]: DAY},
    punches: ['22:00', '2026-03-03 07:00', '2026-03-03 08:00', '2026-03-03 17:00'],
    expect: [
      {date: MON, out: '2026-03-03 07:00', count: 2},
      {date: TUE, in: '08:00', count: 2},
    ]},

  // — calendar —
  {name: 'holiday without punches', holidays: ['2026-03-04'], from: '2026-03-04', punches: [],
    expect: [{status: 'holiday', count: 0}]},
  {name: 'work on a holiday is kept and counted as overtime', holidays: ['2026-03-04'], from: '2026-03-04', punches: ['09:00', '13:00'],
    expect: [{status: 'holiday', in: '09:00', out: '13:00', worked: 240, overtime: 240, late: false}]},
  {name: 'weekly off days from the site', from: '2026-03-06', to: '2026-03-09', punches: ['2026-03-06 08:00', '2026-03-06 17:00'],
    expect: [
      {date: '2026-03-06', status: 'present'},
      {date: '2026-03-07', status: 'weekly_off'},
      {date: '2026-03-08', status: 'weekly_off'},
      {date: '2026-03-09', status: 'absent'},
    ]},
  {name: 'a shift\'s own week off replaces the site\'s', shift: {...DAY, weekOff: ['fri']}, from: '2026-03-06', to: '2026-03-07', punches: [],
    expect: [{date: '2026-03-06', status: 'weekly_off'}, {date: '2026-03-07', status: 'absent'}]},
  {name: 'leave days', leaves: [{from: TUE, to: '2026-03-04', type: 'sick'}], from: MON, to: '2026-03-05', punches: ['08:00', '17:00'],
    expect: [
      {date: MON, status: 'present'},
      {date: TUE, status: 'leave'},
      {date: '2026-03-04', status: 'leave'},
      {date: '2026-03-05', status: 'absent'},
    ]},
  {name: 'leave over a weekend: the weekend stays weekly off, a holiday stays a holiday', leaves: [{from: '2026-03-06', to: '2026-03-10'}],
    holidays: ['2026-03-10'], from: '2026-03-06', to: '2026-03-10', punches: [],
    expect: [
      {date: '2026-03-06', status: 'leave'},
      {date: '2026-03-07', status: 'weekly_off'},
      {date: '2026-03-08', status: 'weekly_off'},
      {date: '2026-03-09', status: 'leave'},
      {date: '2026-03-10', status: 'holiday'},
    ]},
  {name: 'no record before joined_on', joinedOn: '2026-03-04', from: MON, to: '2026-03-05', punches: ['08:00', '17:00'],
    expect: [{date: '2026-03-04', status: 'absent'}, {date: '2026-03-05', status: 'absent'}]},
  {name: 'no record after left_on', leftOn: TUE, from: MON, to: '2026-03-05', punches: [],
    expect: [{date: MON, status: 'absent'}, {date: TUE, status: 'absent'}]},

  // — today —
  {name: 'today before the shift ends: pending, lateness already known', from: MON, now: '2026-03-02 12:00', punches: ['08:05'],
    expect: [{status: 'pending', in: '08:05', out: null, late: true, lateMin: 5, missed: false}]},
  {name: 'today without punches, window still open: pending, not absent', from: MON, now: '2026-03-02 18:00', punches: [],
    expect: [{status: 'pending', count: 0}]},
  {name: 'today once the window has closed: absent', from: MON, now: '2026-03-02 18:01', punches: [],
    expect: [{status: 'absent'}]},
  {name: 'today after the window closed with one punch: missed punch', from: MON, now: '2026-03-02 18:01', punches: ['08:00'],
    expect: [{status: 'present', missed: true}]},
  {name: 'night shift still running after midnight is pending on its start date', shift: NIGHT, from: MON, now: '2026-03-03 02:00',
    punches: ['21:55'],
    expect: [{date: MON, status: 'pending', in: '21:55'}]},

  // — DST (Europe/Warsaw) —
  {name: 'DST spring forward: the 22:00-06:00 night of 2026-03-28 lasts 7 hours', zone: 'Europe/Warsaw', weekOff: [], shift: NIGHT,
    from: '2026-03-28', punches: ['22:00', '2026-03-29 06:00'],
    expect: [{status: 'present', worked: 420, overtime: 0, early: false, late: false}]},
  {name: 'DST fall back: the night of 2026-10-24 lasts 9 hours', zone: 'Europe/Warsaw', weekOff: [], shift: NIGHT,
    from: '2026-10-24', punches: ['22:00', '2026-10-25 06:00'],
    expect: [{status: 'present', worked: 540, overtime: 0, early: false}]},
  {name: 'DST fall back: the repeated 02:30 is told apart by its offset', zone: 'Europe/Warsaw', weekOff: [], shift: {...NIGHT, hours: 'pairs'},
    from: '2026-10-24', punches: ['22:00', '2026-10-25 02:30+02:00', '2026-10-25 02:30+01:00', '2026-10-25 06:00'],
    expect: [{worked: 480, count: 4, missed: false}]},
  {name: 'DST gap: a shift starting at 02:30 on 2026-03-29 starts at 03:30', zone: 'Europe/Warsaw', weekOff: [],
    shift: {id: 5, start: '02:30', end: '10:30'}, from: '2026-03-29', punches: ['03:30', '10:30'],
    expect: [{late: false, worked: 420, overtime: 0, early: false}]},

  // — no shift at all —
  {name: 'no shift: the site day, first punch IN, last OUT, no late/early', shift: null, from: MON, to: TUE,
    punches: ['00:30', '09:00', '18:00', '2026-03-03 00:00'],
    expect: [
      {date: MON, status: 'present', in: '00:30', out: '18:00', worked: 1050, late: false, early: false, overtime: 0, shiftId: null, count: 3},
      {date: TUE, status: 'present', in: '00:00', out: null, missed: true},
    ]},
  {name: 'no shift: today is pending until midnight', shift: null, from: MON, now: '2026-03-02 20:00', punches: ['09:00'],
    expect: [{status: 'pending', in: '09:00'}]},
  {name: 'no shift: the site week off still applies', shift: null, from: '2026-03-07', punches: [],
    expect: [{status: 'weekly_off'}]},
  {name: 'zone matters: a punch at 23:30 local is still that date', zone: 'Pacific/Auckland', shift: null, from: MON, punches: ['08:00', '23:30'],
    expect: [{in: '08:00', out: '23:30', worked: 930}]},
]

/** The engine's rule for a spec: margins 60 min and debounce 60 s unless given. */
export function shiftRule(spec: ShiftSpec): ShiftRule {
  return {
    id: spec.id ?? null,
    name: spec.name ?? `${spec.start}-${spec.end}`,
    start: parseClock(spec.start, 'start'),
    end: parseClock(spec.end, 'end'),
    lateGraceMinutes: spec.lateGrace ?? 0,
    earlyGraceMinutes: spec.earlyGrace ?? 0,
    halfDayHours: spec.halfDay ?? 0,
    absentHours: spec.absent ?? 0,
    beforeMinutes: spec.before ?? 60,
    afterMinutes: spec.after ?? 60,
    checkInWindow: spec.inWindow ? parseWindow(spec.inWindow, 'check-in window') : null,
    checkOutWindow: spec.outWindow ? parseWindow(spec.outWindow, 'check-out window') : null,
    hoursMode: spec.hours ?? 'first-last',
    directionMode: spec.direction ?? 'auto',
    debounceSeconds: spec.debounce ?? 60,
    weekOff: spec.weekOff ?? null,
  }
}
