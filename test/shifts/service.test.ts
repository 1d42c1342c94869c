import {describe, expect, it} from 'vitest'

import {addRoster} from '../../src/rosters/service.js'
import {setConfig} from '../../src/settings/config.js'
import {assignShift} from '../../src/shifts/assign.js'
import {endAssignment, listAssignments} from '../../src/shifts/assignments.js'
import {parsePattern, parseShiftInput} from '../../src/shifts/input.js'
import {addShift, listShifts, removeShift, showShift, updateShift} from '../../src/shifts/service.js'
import {describeEngines} from '../helpers/engines.js'
import {addEmployee, addPunch, day} from '../helpers/engine-fixtures.js'
import {unopenedPort} from '../helpers/store.js'
import {at} from '../attendance/fixtures.js'

const ZONE = 'UTC'
const NOW = at('2026-03-06 20:00', ZONE)

describe('parseShiftInput', () => {
  it('normalizes times and windows and names the flag at fault', () => {
    expect(parseShiftInput({start: '8:05', end: '17:00', checkInWindow: '7:00-9:30', weekOff: 'Friday', halfDayHours: '4.5'})).toEqual({
      start: '08:05', end: '17:00', checkInWindow: '07:00-09:30', weekOff: '["fri"]', halfDayHours: 4.5,
    })
    expect(parseShiftInput({weekOff: 'site', checkOutWindow: 'none'})).toEqual({weekOff: null, checkOutWindow: null})
    expect(() => parseShiftInput({start: '24:00'})).toThrow('Invalid --start "24:00": expected a 24-hour time HH:MM such as 08:30.')
    expect(() => parseShiftInput({checkInWindow: '09:00-09:00'})).toThrow('Invalid --check-in-window "09:00-09:00": the window starts and ends at the same time.')
    expect(() => parseShiftInput({checkInWindow: '10:00-08:00'})).toThrow(
      'Invalid --check-in-window "10:00-08:00": it would last 22 h 0 min, past midnight, and a window lasts at most 12 hours; write the earlier time first (08:00-10:00).',
    )
    // Night shifts' windows may cross midnight.
    expect(parseShiftInput({checkInWindow: '23:30-00:30', checkOutWindow: '05:00-07:30'})).toMatchObject({checkInWindow: '23:30-00:30', checkOutWindow: '05:00-07:30'})
    expect(() => parseShiftInput({debounce: '1.5'})).toThrow('Invalid --debounce (seconds) "1.5": expected a whole number from 0 to 3600.')
    expect(() => parseShiftInput({absentHours: 'lots'})).toThrow('Invalid --absent-hours "lots"')
    expect(() => parseShiftInput({before: '900'})).toThrow('expected a whole number from 0 to 720')
  })
})

describe('the rules of round two', () => {
  it('parses weekly patterns, marking switches and overtime rules, naming the flag at fault', () => {
    expect(parseShiftInput({pattern: 'Friday=8:00-12:30, sat=off', markLate: 'no', markEarly: 'yes', overtime: 'also-before-start'})).toEqual({
      weekdays: '{"fri":"08:00-12:30","sat":"off"}', markLate: false, markEarly: true, overtimeCounts: 'also-before-start',
    })
    expect(parseShiftInput({overtimeMin: '30', overtimeRound: '15', overtimeCap: '120'})).toEqual({
      overtimeMinimumMinutes: 30, overtimeRoundMinutes: 15, overtimeCapMinutes: 120,
    })
    expect(parseShiftInput({overtimeCap: 'none', pattern: 'none'})).toEqual({overtimeCapMinutes: null, weekdays: null})
    expect(parsePattern('sun=22:00-06:00')).toBe('{"sun":"22:00-06:00"}')
    expect(() => parsePattern('fri')).toThrow('Invalid --pattern entry "fri": expected WEEKDAY=HH:MM-HH:MM or WEEKDAY=off, such as fri=08:00-12:30.')
    expect(() => parsePattern('fryday=08:00-12:00')).toThrow('Unknown weekday "fryday" in --pattern')
    expect(() => parsePattern('fri=08:00')).toThrow('Invalid --pattern hours "08:00" for fri: expected HH:MM-HH:MM such as 08:00-12:30, or off.')
    expect(() => parsePattern('fri=08:00-08:00')).toThrow('the shift starts and ends at the same time')
    expect(() => parsePattern('fri=off,FRI=08:00-12:00')).toThrow('--pattern names fri twice.')
    expect(() => parseShiftInput({markLate: 'maybe'})).toThrow('Invalid --mark-late "maybe": expected yes or no.')
    expect(() => parseShiftInput({overtime: 'always'})).toThrow('Invalid --overtime "always": expected after-end or also-before-start.')
    expect(() => parseShiftInput({overtimeCap: '-1'})).toThrow('Invalid --overtime-cap (minutes, or none) "-1"')
  })
})

describe('shifts service', () => {
  it('never opens the store for invalid input', async () => {
    const explode = unopenedPort()
    await expect(addShift(explode, 'Day', {start: '8am', end: '17:00'}, NOW)).rejects.toThrow('Invalid --start "8am"')
    await expect(addShift(explode, 'none', {start: '08:00', end: '17:00'}, NOW)).rejects.toThrow('"none" is reserved')
    await expect(updateShift(explode, 'Day', {}, NOW)).rejects.toThrow('Nothing to update')
    await expect(assignShift(explode, 'Day', {}, NOW)).rejects.toThrow('Pass exactly one of --employee CODE or --department NAME.')
  })
})

describeEngines(
  'the rules of round two, on the store',
  (engine) => {
    const open = () => engine().port

    it('refuses a shift whose window reaches 24 hours, on add and on update, and names the hours', async () => {
      const explode = unopenedPort()
      await expect(addShift(explode, 'Long', {start: '08:00', end: '17:00', before: 500, after: 500}, NOW)).rejects.toThrow(
        'Shift "Long" would take punches over 25 h 40 min (08:00–17:00 with --before 500 and --after 500 minutes), so it would overlap its own next day: ' +
          'the hours plus both margins must stay under 24 hours; lower --before or --after.',
      )
      // A 24-hour shift leaves no room for any margin.
      await expect(addShift(explode, 'Round', {start: '08:00', end: '08:00', before: 0, after: 0}, NOW)).rejects.toThrow('would take punches over 24 hours')
      // 23 h 59 min is still a shift.
      expect((await addShift(open(), 'Almost', {start: '08:00', end: '07:00', before: 30, after: 29}, NOW)).name).toBe('Almost')
      await addShift(open(), 'Day', {start: '08:00', end: '17:00', pattern: 'sun=06:00-22:00'}, NOW)
      await expect(updateShift(open(), 'Day', {before: 300, after: 300}, NOW)).rejects.toThrow('(06:00–22:00 on sun with --before 300 and --after 300 minutes)')
      expect((await showShift(open(), 'Day')).beforeMinutes).toBe(60)
    })

    it('lists an employee\'s own and department assignments, ends one on a date and deletes one', async () => {
      const alice = await addEmployee(engine(), 'EMP001', {department: 'Kitchen'})
      await addShift(open(), 'Day', {start: '08:00', end: '17:00'}, NOW)
      await addShift(open(), 'Night', {start: '22:00', end: '06:00'}, NOW)
      await assignShift(open(), 'Day', {department: 'Kitchen'}, NOW)
      const night = (await assignShift(open(), 'Night', {employee: 'EMP001', from: '2026-03-02'}, NOW)).assignment
      await addPunch(engine(), alice, '2026-03-05 08:00', ZONE)
      await addPunch(engine(), alice, '2026-03-05 17:00', ZONE)
      expect((await listAssignments(open(), {employee: 'emp001'})).map((a) => [a.shift, a.via])).toEqual([['Day', 'department'], ['Night', 'employee']])
      expect(await listAssignments(open(), {shift: 'Night'})).toHaveLength(1)
      expect(await day(engine(), alice, '2026-03-05')).toMatchObject({status: 'absent'})

      const ended = await endAssignment(open(), String(night.id), {to: '2026-03-04'}, NOW)
      expect(ended).toMatchObject({previousTo: null, deleted: false, assignment: {id: night.id, to: '2026-03-04'}})
      // From the 5th the department's Day shift applies again.
      expect(await day(engine(), alice, '2026-03-05')).toMatchObject({status: 'present'})
      expect((await day(engine(), alice, '2026-03-04'))?.shift_id).toBe((await showShift(open(), 'Night')).id)

      await expect(endAssignment(open(), String(night.id), {to: '2026-03-01'}, NOW)).rejects.toThrow(
        `Assignment ${night.id} starts on 2026-03-02, after --to 2026-03-01: to undo it entirely, use attend shifts unassign ${night.id} --delete.`,
      )
      expect(await endAssignment(open(), String(night.id), {remove: true}, NOW)).toMatchObject({deleted: true})
      expect((await day(engine(), alice, '2026-03-04'))?.shift_id).toBe((await showShift(open(), 'Day')).id)
      await expect(endAssignment(open(), '99', {}, NOW)).rejects.toThrow('No assignment with id 99: see attend shifts assignments.')
      await expect(endAssignment(open(), 'x', {}, NOW)).rejects.toThrow('Invalid assignment id "x"')
    })

    it('ends an assignment today by default', async () => {
      await addEmployee(engine(), 'EMP001')
      await addShift(open(), 'Day', {start: '08:00', end: '17:00'}, NOW)
      const {assignment} = await assignShift(open(), 'Day', {employee: 'EMP001'}, NOW)
      expect((await endAssignment(open(), String(assignment.id), {}, NOW)).assignment.to).toBe('2026-03-06')
    })

    it('will not remove a shift a roster uses', async () => {
      await addShift(open(), 'Day', {start: '08:00', end: '17:00'}, NOW)
      await addRoster(open(), 'Rotation', {cycle: 'Day,off'}, NOW)
      await expect(removeShift(open(), 'Day', NOW)).rejects.toThrow('Shift "Day" is part of roster "Rotation": change or remove the roster first (attend rosters remove NAME).')
    })
  },
  {timezone: ZONE, now: () => NOW},
)

describeEngines(
  'shifts service',
  (engine) => {
    const open = () => engine().port

    it('recomputes the affected days on assign, update and remove', async () => {
      const alice = await addEmployee(engine(), 'EMP001', {department: 'Kitchen'})
      await addPunch(engine(), alice, '2026-03-02 22:10', ZONE)
      await addPunch(engine(), alice, '2026-03-03 06:00', ZONE)
      await addShift(open(), 'Night', {start: '22:00', end: '06:00'}, NOW)
      const assigned = await assignShift(open(), 'night', {department: 'kitchen', from: '2026-03-02'}, NOW)
      // Open end: from the range start up to today.
      // From the day before: the new shift's margin may reach into it (handover).
      expect(assigned.recomputed).toMatchObject({employees: 1, from: '2026-03-01', to: '2026-03-06'})
      expect(await day(engine(), alice, '2026-03-02')).toMatchObject({status: 'present', late: 1, late_minutes: 10})

      const updated = await updateShift(open(), 'Night', {lateGrace: '15', name: 'Nights'}, NOW)
      expect(updated.shift).toMatchObject({name: 'Nights', lateGraceMinutes: 15})
      expect(updated.recomputed?.changed).toBeGreaterThan(0)
      expect(await day(engine(), alice, '2026-03-02')).toMatchObject({late: 0, late_minutes: 0})
      expect((await showShift(open(), 'nights')).assignments).toEqual([expect.objectContaining({department: 'kitchen', from: '2026-03-02', to: null})])

      const removal = await removeShift(open(), 'Nights', NOW)
      expect(removal.assignmentsRemoved).toBe(1)
      // No shift now: the site day; the 06:00 punch is the next day's.
      expect(await day(engine(), alice, '2026-03-02')).toMatchObject({shift_id: null, status: 'present', worked_minutes: 0})
      expect(await listShifts(open())).toEqual([])
    })

    it('follows a renamed default shift and recomputes when the default changes', async () => {
      const alice = await addEmployee(engine(), 'EMP001')
      await addPunch(engine(), alice, '2026-03-02 08:30', ZONE)
      await addPunch(engine(), alice, '2026-03-02 17:00', ZONE)
      await addShift(open(), 'Day', {start: '08:00', end: '17:00'}, NOW)
      await setConfig(open(), 'default-shift', 'day', NOW)
      expect(await day(engine(), alice, '2026-03-02')).toMatchObject({late: 1, late_minutes: 30})
      await updateShift(open(), 'Day', {name: 'Office'}, NOW)
      expect((await listShifts(open()))[0]).toMatchObject({name: 'Office', isDefault: true})
      await expect(removeShift(open(), 'Office', NOW)).rejects.toThrow('Shift "Office" is the default shift')
      await setConfig(open(), 'week-off', 'mon', NOW)
      expect((await day(engine(), alice, '2026-03-02'))?.status).toBe('weekly_off')
    })
  },
  {timezone: ZONE, now: () => NOW},
)
