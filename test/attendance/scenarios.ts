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
import {weekdayPlans} from '../../src/shifts/rule.js'
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
  /** Weekly pattern as stored: `{fri: '08:00-12:30', sat: 'off'}`. */
  pattern?: Partial<Record<Weekday, string>>
  markLate?: boolean
  markEarly?: boolean
  overtime?: 'after-end' | 'also-before-start'
  overtimeMin?: number
  overtimeRound?: number
  overtimeCap?: number
}

export interface ManualSpec {
  status: 'present' | 'absent' | 'half_day' | 'holiday' | 'weekly_off' | 'leave'
  in?: string
  out?: string
  note?: string
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
  onHoliday?: boolean
  onLeave?: boolean
  offDay?: number
  halfOff?: string | null
  manual?: boolean
  note?: string | null
}

export interface Scenario {
  name: string
  zone?: string
  /** The shift on every date; null = no shift at all. Default: DAY. */
  shift?: ShiftSpec | null
  /** Shifts for particular dates, over `shift`; `rest` = a roster's day off. */
  shiftsByDate?: Record<string, ShiftSpec | null | 'rest'>
  /** A rotating roster assigned from `from` (resolved by the real shift resolver), over `shift`. */
  roster?: {from: string; to?: string; cycle: (ShiftSpec | null)[]}
  holidays?: string[]
  halfHolidays?: Record<string, 'first' | 'second'>
  weekOff?: Weekday[]
  leaves?: Array<{from: string; to: string; type?: string; half?: 'first' | 'second'}>
  /** Manual days by date (`attend attendance set`). */
  manual?: Record<string, ManualSpec>
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
    expect: [{status: 'present', in: '07:58', out: '17:02', worked: 544, late: false, early: false, overtime: 2, missed: false, count: 2, shiftId: 1}]},
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
  {name: 'overtime is work after the shift end; an early start is not overtime by default', from: MON, punches: ['07:00', '18:00'],
    expect: [{status: 'present', worked: 660, overtime: 60}]},
  {name: 'a late arrival who stays late owed those minutes: only time after the end is overtime', from: MON, punches: ['08:30', '17:30'],
    expect: [{late: true, lateMin: 30, worked: 540, overtime: 30}]},

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
      {date: MON, status: 'present', in: '21:55', out: '2026-03-03 06:05', worked: 490, late: false, early: false, overtime: 5},
      {date: TUE, status: 'absent', count: 0},
    ]},
  {name: 'night 23:00-01:00 with punches on both dates', shift: LATE_NIGHT, from: MON, to: TUE,
    punches: ['22:58', '2026-03-03 01:03', '2026-03-03 23:10', '2026-03-04 00:40'],
    expect: [
      {date: MON, status: 'present', in: '22:58', out: '2026-03-03 01:03', worked: 125, overtime: 3},
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
  {name: 'overlapping margins: past the earlier end, the next shift takes the overlap from where its margin begins', from: MON, to: TUE,
    shiftsByDate: {[MON]: {...NIGHT, after: 120}, [TUE]: {id: 4, start: '07:00', end: '15:00'}},
    punches: ['21:58', '2026-03-03 06:00', '2026-03-03 06:30', '2026-03-03 07:55', '2026-03-03 15:00'],
    expect: [
      {date: MON, in: '21:58', out: '2026-03-03 06:00', count: 2, missed: false, shiftId: 2},
      {date: TUE, in: '06:30', out: '15:00', late: false, count: 3, shiftId: 4},
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
  {name: 'work on a holiday is flagged and counted as off-day minutes, not overtime', holidays: ['2026-03-04'], from: '2026-03-04', punches: ['09:00', '13:00'],
    expect: [{status: 'holiday', in: '09:00', out: '13:00', worked: 240, overtime: 0, offDay: 240, onHoliday: true, onLeave: false, late: false, missed: false}]},
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
  // — handover between consecutive shifts (defect: back-to-back shifts) —
  {name: 'back-to-back: night 19:00-07:00 then day 07:00-19:00, the night checks out at 07:00 and the day checks in at 07:01', from: MON, to: TUE,
    shiftsByDate: {[MON]: {id: 6, start: '19:00', end: '07:00'}, [TUE]: {id: 7, start: '07:00', end: '19:00', lateGrace: 5}},
    punches: ['18:55', '2026-03-03 07:00', '2026-03-03 07:01', '2026-03-03 19:02'],
    expect: [
      {date: MON, in: '18:55', out: '2026-03-03 07:00', worked: 725, missed: false, early: false, count: 2, shiftId: 6},
      {date: TUE, in: '07:01', out: '19:02', late: false, missed: false, count: 2, shiftId: 7},
    ]},
  {name: 'back-to-back: a punch before the earlier shift has ended is still its own', from: MON, to: TUE,
    shiftsByDate: {[MON]: {id: 6, start: '19:00', end: '07:00'}, [TUE]: {id: 7, start: '07:00', end: '19:00'}},
    punches: ['19:00', '2026-03-03 06:50', '2026-03-03 07:20', '2026-03-03 19:00'],
    expect: [
      {date: MON, out: '2026-03-03 06:50', early: true, earlyMin: 10, count: 2},
      {date: TUE, in: '07:20', late: true, lateMin: 20, count: 2},
    ]},
  {name: 'handover when the assignment changes between dates: night Monday, early shift Tuesday', from: MON, to: TUE,
    shiftsByDate: {[MON]: NIGHT, [TUE]: {id: 8, start: '06:00', end: '14:00'}},
    punches: ['22:00', '2026-03-03 06:00', '2026-03-03 06:02', '2026-03-03 14:00'],
    expect: [
      {date: MON, in: '22:00', out: '2026-03-03 06:00', missed: false, count: 2, shiftId: 2},
      {date: TUE, in: '06:02', out: '14:00', late: true, lateMin: 2, count: 2, shiftId: 8},
    ]},

  // — a real shift's margin wins over a shift-less day —
  {name: 'a day without a shift gives way to the next shift\'s margin: 23:30 is the check-in of the 00:30 shift', from: TUE, to: '2026-03-04',
    shiftsByDate: {[TUE]: null, '2026-03-04': {id: 9, start: '00:30', end: '10:00'}},
    punches: ['2026-03-03 23:30', '2026-03-04 11:00'],
    expect: [
      {date: TUE, status: 'absent', count: 0, shiftId: null},
      {date: '2026-03-04', status: 'present', in: '2026-03-03 23:30', out: '11:00', worked: 690, count: 2, shiftId: 9},
    ]},
  {name: 'a night shift keeps its after-margin over the shift-less day that follows', from: MON, to: TUE,
    shiftsByDate: {[MON]: NIGHT, [TUE]: null},
    punches: ['22:00', '2026-03-03 06:30', '2026-03-03 10:00', '2026-03-03 18:00'],
    expect: [
      {date: MON, out: '2026-03-03 06:30', count: 2},
      {date: TUE, in: '10:00', out: '18:00', count: 2, shiftId: null},
    ]},

  // — weekly patterns —
  {name: 'weekly pattern: Friday 08:00-12:30, measured against Friday\'s own hours', shift: {...DAY, pattern: {fri: '08:00-12:30'}},
    from: '2026-03-05', to: '2026-03-06', punches: ['2026-03-05 08:00', '2026-03-05 12:30', '2026-03-06 08:05', '2026-03-06 12:45'],
    expect: [
      {date: '2026-03-05', status: 'present', early: true, earlyMin: 270, overtime: 0},
      {date: '2026-03-06', status: 'present', late: true, lateMin: 5, early: false, worked: 280, overtime: 15},
    ]},
  {name: 'weekly pattern: a weekday off that differs from the site\'s, and a site rest day worked', shift: {...DAY, pattern: {fri: 'off', sat: '09:00-13:00'}},
    from: '2026-03-06', to: '2026-03-08', punches: ['2026-03-07 09:20', '2026-03-07 13:00'],
    expect: [
      {date: '2026-03-06', status: 'weekly_off'},
      {date: '2026-03-07', status: 'present', late: true, lateMin: 20, worked: 220, onHoliday: false},
      {date: '2026-03-08', status: 'weekly_off'},
    ]},
  {name: 'weekly pattern: a night on one weekday owns the next morning', shift: {...DAY, pattern: {wed: '22:00-06:00'}},
    from: '2026-03-04', to: '2026-03-05', punches: ['2026-03-04 21:55', '2026-03-05 06:00', '2026-03-05 08:00', '2026-03-05 17:00'],
    expect: [
      {date: '2026-03-04', in: '21:55', out: '2026-03-05 06:00', worked: 485, count: 2},
      {date: '2026-03-05', in: '08:00', out: '17:00', count: 2},
    ]},

  // — rotating rosters —
  {name: 'roster: day, day, night, night, off, off from its start date; the cycle decides rest days, not the site week off',
    roster: {from: MON, cycle: [DAY, DAY, NIGHT, NIGHT, null, null]}, from: MON, to: '2026-03-09',
    punches: ['08:00', '17:00', '2026-03-04 22:00', '2026-03-05 06:00', '2026-03-05 22:00', '2026-03-06 06:00', '2026-03-08 08:00', '2026-03-08 17:00'],
    expect: [
      {date: MON, status: 'present', shiftId: 100},
      {date: TUE, status: 'absent', shiftId: 101},
      {date: '2026-03-04', status: 'present', out: '2026-03-05 06:00', shiftId: 102},
      {date: '2026-03-05', status: 'present', out: '2026-03-06 06:00', shiftId: 103},
      {date: '2026-03-06', status: 'weekly_off', count: 0, shiftId: null},
      {date: '2026-03-07', status: 'weekly_off', shiftId: null},
      {date: '2026-03-08', status: 'present', worked: 540, shiftId: 100},
      {date: '2026-03-09', status: 'absent', shiftId: 101},
    ]},
  {name: 'roster: work on a rest day is work on a day off', roster: {from: MON, cycle: [DAY, null]}, from: TUE,
    punches: ['2026-03-03 10:00', '2026-03-03 14:00'],
    expect: [{status: 'weekly_off', onHoliday: true, offDay: 240, overtime: 0}]},
  {name: 'roster: before its first date and after its last the usual shift applies', shift: {...DAY, id: 1},
    roster: {from: TUE, to: TUE, cycle: [NIGHT]}, from: MON, to: '2026-03-04', punches: [],
    expect: [{date: MON, shiftId: 1}, {date: TUE, shiftId: 100}, {date: '2026-03-04', shiftId: 1}]},

  // — half-day leave and half-day holidays —
  {name: 'half-day leave, first half: the day starts at its middle and the thresholds halve', shift: {...DAY, halfDay: 6, absent: 2},
    leaves: [{from: MON, to: MON, half: 'first'}], from: MON, punches: ['12:30', '17:00'],
    expect: [{status: 'present', late: false, worked: 270, early: false, halfOff: 'leave_first_half'}]},
  {name: 'half-day leave, second half: leaving at the middle is on time; late in the first half still counts', shift: {...DAY, halfDay: 6, absent: 2, lateGrace: 5},
    leaves: [{from: MON, to: MON, half: 'second'}], from: MON, punches: ['08:10', '12:30'],
    expect: [{status: 'present', late: true, lateMin: 10, early: false, overtime: 0, halfOff: 'leave_second_half'}]},
  {name: 'half-day leave: below half the half-day threshold is a half day, below half the absent one absent', shift: {...DAY, halfDay: 6, absent: 2},
    leaves: [{from: MON, to: TUE, half: 'second'}], from: MON, to: TUE, punches: ['08:00', '10:00', '2026-03-03 08:00', '2026-03-03 08:50'],
    expect: [
      {date: MON, status: 'half_day', worked: 120, early: true, earlyMin: 150},
      {date: TUE, status: 'absent', worked: 50},
    ]},
  {name: 'half-day leave without punches is absent for the working half', leaves: [{from: MON, to: MON, half: 'first'}], from: MON, punches: [],
    expect: [{status: 'absent', halfOff: 'leave_first_half', count: 0}]},
  {name: 'half-day holiday (second half off): work past the middle is overtime, thresholds halve', shift: {...DAY, halfDay: 6},
    halfHolidays: {[MON]: 'second'}, from: MON, punches: ['08:00', '13:30'],
    expect: [{status: 'present', worked: 330, overtime: 60, onHoliday: false, halfOff: 'holiday_second_half'}]},
  {name: 'half a day of leave on the other half of a half-day holiday: nothing is left to work, the day is leave',
    halfHolidays: {[MON]: 'second'}, leaves: [{from: MON, to: MON, half: 'first'}], from: MON, punches: [],
    expect: [{status: 'leave', halfOff: null}]},
  {name: 'two half-day leaves on one date are a whole day of leave', leaves: [{from: MON, to: MON, half: 'first'}, {from: MON, to: MON, half: 'second'}],
    from: MON, punches: [],
    expect: [{status: 'leave', halfOff: null}]},
  {name: 'a whole holiday wins over a half-day leave', holidays: [MON], leaves: [{from: MON, to: MON, half: 'first'}], from: MON, punches: [],
    expect: [{status: 'holiday', halfOff: null}]},

  // — work on a day off —
  {name: 'work on a weekly off day is flagged as holiday work, not overtime', from: '2026-03-07', punches: ['09:00', '13:00'],
    expect: [{status: 'weekly_off', onHoliday: true, offDay: 240, overtime: 0, late: false}]},
  {name: 'work on a leave day is flagged as leave work, not overtime', leaves: [{from: MON, to: MON, type: 'annual'}], from: MON, punches: ['08:00', '17:00'],
    expect: [{status: 'leave', onLeave: true, onHoliday: false, offDay: 540, overtime: 0}]},
  {name: 'a single punch on a day off is a missed punch too', holidays: [MON], from: MON, punches: ['09:00'],
    expect: [{status: 'holiday', onHoliday: true, missed: true, offDay: 0}]},
  {name: 'a day off without punches is not flagged', holidays: [MON], from: MON, punches: [],
    expect: [{status: 'holiday', onHoliday: false, onLeave: false, offDay: 0, missed: false}]},

  // — overtime rules per shift —
  {name: 'overtime also before the start, when the shift says so', shift: {...DAY, overtime: 'also-before-start'}, from: MON, punches: ['07:00', '18:00'],
    expect: [{overtime: 120}]},
  {name: 'overtime below the minimum is none; at the minimum it all counts', shift: {...DAY, overtimeMin: 30}, from: MON, to: TUE,
    punches: ['08:00', '17:29', '2026-03-03 08:00', '2026-03-03 17:30'],
    expect: [{date: MON, overtime: 0}, {date: TUE, overtime: 30}]},
  {name: 'overtime rounds down to the shift\'s step', shift: {...DAY, overtimeRound: 15}, from: MON, punches: ['08:00', '17:59'],
    expect: [{overtime: 45}]},
  {name: 'overtime is capped per day', shift: {...DAY, after: 300, overtimeCap: 120}, from: MON, punches: ['08:00', '21:00'],
    expect: [{worked: 780, overtime: 120}]},
  {name: 'overtime rules apply in order: minimum, then rounding, then the cap', shift: {...DAY, after: 300, overtimeMin: 30, overtimeRound: 30, overtimeCap: 100},
    from: MON, to: '2026-03-04', punches: ['08:00', '17:40', '2026-03-03 08:00', '2026-03-03 19:25', '2026-03-04 08:00', '2026-03-04 17:25'],
    expect: [{date: MON, overtime: 30}, {date: TUE, overtime: 100}, {date: '2026-03-04', overtime: 0}]},
  {name: 'overtime in pairs mode counts only the paired time after the end', shift: {...DAY, hours: 'pairs', after: 120}, from: MON,
    punches: ['08:00', '12:00', '13:00', '17:00', '17:30', '18:30'],
    expect: [{worked: 540, overtime: 60, missed: false}]},

  // — late/early marking switches —
  {name: 'late marking off: a late check-in is not marked (grace is something else)', shift: {...DAY, markLate: false}, from: MON, punches: ['09:30', '17:00'],
    expect: [{late: false, lateMin: 0, worked: 450}]},
  {name: 'early marking off: an early check-out is not marked, the thresholds still apply', shift: {...DAY, markEarly: false, halfDay: 6}, from: MON,
    punches: ['08:00', '13:00'],
    expect: [{early: false, earlyMin: 0, status: 'half_day'}]},

  // — manual days —
  {name: 'manual day with times: the admin\'s times and status stand, the shift\'s rules measure them', manual: {[MON]: {status: 'present', in: '08:10', out: '17:30', note: 'reader broken'}},
    from: MON, punches: ['09:00'],
    expect: [{status: 'present', in: '08:10', out: '17:30', worked: 560, late: true, lateMin: 10, overtime: 30, missed: false, count: 1, manual: true, note: 'reader broken'}]},
  {name: 'manual leave overrides the punches', manual: {[MON]: {status: 'leave'}}, from: MON, punches: ['08:00', '17:00'],
    expect: [{status: 'leave', in: null, out: null, worked: 0, onLeave: false, count: 2, manual: true, note: null}]},
  {name: 'manual day today is settled, not pending', manual: {[MON]: {status: 'absent', note: 'called in sick'}}, from: MON, now: '2026-03-02 09:00', punches: [],
    expect: [{status: 'absent', manual: true}]},
  {name: 'manual night times: a check-out before the check-in is the next morning', shift: NIGHT, manual: {[MON]: {status: 'present', in: '22:00', out: '06:00'}},
    from: MON, punches: [],
    expect: [{status: 'present', in: '22:00', out: '2026-03-03 06:00', worked: 480, manual: true}]},
  {name: 'a manual day keeps its own punches: the neighbouring day is computed as before', shiftsByDate: {[MON]: NIGHT, [TUE]: DAY},
    manual: {[MON]: {status: 'absent'}}, from: MON, to: TUE, punches: ['22:00', '2026-03-03 06:00', '2026-03-03 08:00', '2026-03-03 17:00'],
    expect: [{date: MON, status: 'absent', manual: true, count: 2}, {date: TUE, in: '08:00', out: '17:00', count: 2, manual: false}]},
  {name: 'manual present on a holiday with times is present, and flagged as holiday work', holidays: [MON], manual: {[MON]: {status: 'present', in: '09:00', out: '13:00'}},
    from: MON, punches: [],
    expect: [{status: 'present', onHoliday: true, offDay: 240, overtime: 0, manual: true}]},
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
    weekdays: weekdayPlans(spec.pattern ?? null),
    markLate: spec.markLate ?? true,
    markEarly: spec.markEarly ?? true,
    overtime: {
      counts: spec.overtime ?? 'after-end',
      minimumMinutes: spec.overtimeMin ?? 0,
      roundDownMinutes: spec.overtimeRound ?? 0,
      dailyCapMinutes: spec.overtimeCap ?? null,
    },
  }
}
