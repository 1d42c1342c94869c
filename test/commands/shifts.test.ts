import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {errorText} from '../helpers/cli.js'
import {cliSite} from '../attendance/cli-fixtures.js'

let site: Awaited<ReturnType<typeof cliSite>>
beforeEach(async () => {
  site = await cliSite()
})
afterEach(() => site.cleanup())

describe('attend shifts', () => {
  it('adds, lists, shows, updates and removes a shift', async () => {
    const add = await site.run('shifts', 'add', 'Day', '--start', '8:00', '--end', '17:00', '--late-grace', '10', '--check-in-window', '07:00-09:00', '--week-off', 'fri', '--json')
    expect(add.exitCode).toBe(0)
    expect(JSON.parse(add.stdout)).toMatchObject({name: 'Day', start: '08:00', end: '17:00', lateGraceMinutes: 10, checkInWindow: '07:00-09:00', weekOff: ['fri'], beforeMinutes: 60, debounceSeconds: 60})

    const list = await site.run('shifts', 'list')
    expect(list.stdout).toMatch(/Day\s+08:00–17:00\s+10\/0/)

    const update = await site.run('shifts', 'update', 'day', '--late-grace', '5', '--check-in-window', 'none', '--json')
    expect(JSON.parse(update.stdout).shift).toMatchObject({lateGraceMinutes: 5, checkInWindow: null})

    const show = await site.run('shifts', 'show', 'Day')
    expect(show.stdout).toContain('Day: 08:00–17:00, late grace 5 min, week off fri')

    expect((await site.run('shifts', 'remove', 'Day')).stdout).toContain('Removed shift Day and 0 assignments.')
    expect(JSON.parse((await site.run('shifts', 'list', '--json')).stdout).shifts).toEqual([])
  })

  it('names the bad value and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--start', '8am', '--end', '17:00'], /Invalid --start "8am": expected a 24-hour time HH:MM/],
      [['--start', '08:00', '--end', '17:00', '--check-out-window', '16:00'], /Invalid --check-out-window "16:00": expected HH:MM-HH:MM/],
      [['--start', '08:00', '--end', '17:00', '--late-grace', '-5'], /Invalid --late-grace \(minutes\) "-5": expected a whole number/],
      [['--start', '08:00', '--end', '17:00', '--week-off', 'caturday'], /Unknown weekday "caturday" in --week-off/],
      [['--start', '08:00'], /needs both --start and --end/],
    ]
    for (const [flags, message] of cases) {
      const result = await site.run('shifts', 'add', 'Day', ...flags)
      expect(result.exitCode, flags.join(' ')).toBe(2)
      expect(errorText(result.stderr)).toMatch(message)
    }
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
    const duplicate = await site.run('shifts', 'add', 'DAY', '--start', '09:00', '--end', '18:00')
    expect(duplicate.exitCode).toBe(1)
    expect(errorText(duplicate.stderr)).toContain('A shift named "DAY" already exists')
    expect(errorText((await site.run('shifts', 'show', 'Nope')).stderr)).toContain('Unknown shift "Nope": see attend shifts list.')
  })

  it('assigns to an employee or a department and recomputes their days', async () => {
    await site.employee('EMP001', 'Kitchen')
    await site.employee('EMP002', 'Kitchen')
    site.punches('EMP001 2026-03-02 22:05', 'EMP001 2026-03-03 06:00', 'EMP002 2026-03-02 08:20', 'EMP002 2026-03-02 17:00')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
    await site.run('shifts', 'add', 'Night', '--start', '22:00', '--end', '06:00')

    const dept = await site.run('shifts', 'assign', 'Day', '--department', 'Kitchen', '--json')
    expect(dept.exitCode).toBe(0)
    expect(JSON.parse(dept.stdout).assignment).toMatchObject({shift: 'Day', department: 'Kitchen', employeeCode: null, from: null, to: null})

    const emp = await site.run('shifts', 'assign', 'Night', '--employee', 'emp001', '--from', '2026-03-02', '--to', '2026-03-31')
    expect(emp.stdout).toContain('Assigned Night to EMP001 (Employee EMP001) from 2026-03-02 to 2026-03-31 (assignment 2).')
    expect(emp.stdout).toMatch(/Recomputed \d+ days for 1 employee/)

    const days = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-02', '--json')).stdout).days
    expect(days).toEqual([
      expect.objectContaining({employeeCode: 'EMP001', shift: 'Night', status: 'present', checkIn: '22:05', checkOut: '2026-03-03 06:00', lateMinutes: 5}),
      expect.objectContaining({employeeCode: 'EMP002', shift: 'Day', status: 'present', checkIn: '08:20', lateMinutes: 20, flags: ['late']}),
    ])

    const both = await site.run('shifts', 'assign', 'Day', '--employee', 'EMP001', '--department', 'Kitchen')
    expect(both.exitCode).toBe(2)
    const unknown = await site.run('shifts', 'assign', 'Day', '--employee', 'EMP404')
    expect(errorText(unknown.stderr)).toContain('Unknown employee code "EMP404": see attend employees list.')
    const backwards = await site.run('shifts', 'assign', 'Day', '--employee', 'EMP001', '--from', '2026-03-10', '--to', '2026-03-01')
    expect(errorText(backwards.stderr)).toContain('--to 2026-03-01 is before --from 2026-03-10: the end of the period must not come before its start.')
  })

  it('recomputes when the default shift or a shift rule changes, and protects the default shift', async () => {
    await site.employee('EMP001')
    site.punches('EMP001 2026-03-02 08:20', 'EMP001 2026-03-02 17:00')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
    const statusOf = async () =>
      JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-02', '--json')).stdout).days[0]
    expect(await statusOf()).toMatchObject({shift: null, lateMinutes: 0})

    expect((await site.run('config', 'set', 'default-shift', 'Day')).exitCode).toBe(0)
    expect(await statusOf()).toMatchObject({shift: 'Day', lateMinutes: 20, flags: ['late']})

    const update = await site.run('shifts', 'update', 'Day', '--late-grace', '30')
    expect(update.stdout).toMatch(/Recomputed \d+ days for 1 employee .*: [1-9]\d* changed\./)
    expect(await statusOf()).toMatchObject({shift: 'Day', lateMinutes: 0, flags: []})

    const remove = await site.run('shifts', 'remove', 'Day')
    expect(remove.exitCode).toBe(1)
    expect(errorText(remove.stderr)).toContain('Shift "Day" is the default shift')

    await site.run('config', 'set', 'default-shift', 'none')
    expect(await statusOf()).toMatchObject({shift: null})
    expect((await site.run('shifts', 'remove', 'Day')).exitCode).toBe(0)
  })
})

describe('attend shifts: patterns, overtime rules, marking switches and ending assignments', () => {
  it('stores a weekly pattern and the overtime and marking rules, and shows them', async () => {
    const add = await site.run('shifts', 'add', 'Office', '--start', '08:00', '--end', '17:00', '--pattern', 'fri=08:00-12:30,sat=off',
      '--overtime', 'also-before-start', '--overtime-min', '30', '--overtime-round', '15', '--overtime-cap', '120', '--mark-late', 'no', '--json')
    expect(add.exitCode).toBe(0)
    expect(JSON.parse(add.stdout)).toMatchObject({
      pattern: {fri: '08:00-12:30', sat: 'off'}, markLate: false, markEarly: true, overtime: 'also-before-start',
      overtimeMinimumMinutes: 30, overtimeRoundMinutes: 15, overtimeCapMinutes: 120,
    })
    expect((await site.run('shifts', 'show', 'Office')).stdout).toContain(
      'Office: 08:00–17:00, on fri 08:00–12:30, sat off, late not marked, overtime also before the start, from 30 min, rounded down to 15 min, at most 120 min a day',
    )
    const update = await site.run('shifts', 'update', 'Office', '--pattern', 'none', '--overtime-cap', 'none', '--mark-late', 'yes', '--json')
    expect(JSON.parse(update.stdout).shift).toMatchObject({pattern: null, overtimeCapMinutes: null, markLate: true})
  })

  it('measures a Friday against its own hours', async () => {
    await site.employee('EMP001')
    await site.run('shifts', 'add', 'Office', '--start', '08:00', '--end', '17:00', '--pattern', 'fri=08:00-12:30')
    await site.run('config', 'set', 'default-shift', 'Office')
    site.punches('EMP001 2026-03-05 08:00', 'EMP001 2026-03-05 12:30', 'EMP001 2026-03-06 08:00', 'EMP001 2026-03-06 12:45')
    const rows = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-05', '--to', '2026-03-06', '--json')).stdout).days
    expect(rows.map((r: {earlyMinutes: number; overtimeMinutes: number}) => [r.earlyMinutes, r.overtimeMinutes])).toEqual([[270, 0], [0, 15]])
  })

  it('refuses a shift whose window reaches 24 hours, with the reason', async () => {
    const result = await site.run('shifts', 'add', 'Long', '--start', '08:00', '--end', '17:00', '--before', '500', '--after', '500')
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe(
      'Error: Shift "Long" would take punches over 25 h 40 min (08:00–17:00 with --before 500 and --after 500 minutes), so it would overlap its own next day: ' +
        'the hours plus both margins must stay under 24 hours; lower --before or --after.',
    )
    await site.run('shifts', 'add', 'Night', '--start', '22:00', '--end', '06:00')
    const update = await site.run('shifts', 'update', 'Night', '--after', '720', '--before', '720')
    expect(update.exitCode).toBe(2)
    expect(errorText(update.stderr)).toContain('Shift "Night" would take punches over 32 hours')
    expect(JSON.parse((await site.run('shifts', 'show', 'Night', '--json')).stdout)).toMatchObject({beforeMinutes: 60, afterMinutes: 60})
  })

  it('lists assignments per employee and ends or deletes one, recomputing the days', async () => {
    await site.employee('EMP001', 'Kitchen')
    site.punches('EMP001 2026-03-05 08:00', 'EMP001 2026-03-05 17:00')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
    await site.run('shifts', 'add', 'Night', '--start', '22:00', '--end', '06:00')
    await site.run('shifts', 'assign', 'Day', '--department', 'Kitchen')
    await site.run('shifts', 'assign', 'Night', '--employee', 'EMP001', '--from', '2026-03-02')

    const list = await site.run('shifts', 'assignments', '--employee', 'EMP001')
    expect(list.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^Id\s+Schedule\s+Assigned to\s+From\s+To$/),
      expect.stringMatching(/^\s*1\s+shift Day\s+department Kitchen\s+-\s+-$/),
      expect.stringMatching(/^\s*2\s+shift Night\s+EMP001 Employee EMP001\s+2026-03-02\s+-$/),
    ])
    const shiftOn = async (date: string) =>
      JSON.parse((await site.run('attendance', 'list', '--from', date, '--to', date, '--json')).stdout).days[0]
    expect(await shiftOn('2026-03-05')).toMatchObject({shift: 'Night', status: 'absent'})

    const end = await site.run('shifts', 'unassign', '2', '--to', '2026-03-04')
    expect(end.stdout).toContain('Assignment 2 (shift Night for EMP001 Employee EMP001) now ends on 2026-03-04.')
    expect(end.stdout).toMatch(/Recomputed \d+ days for 1 employee \(2026-03-04 to 2026-03-06\): [1-9]\d* changed\./)
    expect(await shiftOn('2026-03-05')).toMatchObject({shift: 'Day', status: 'present'})

    const backwards = await site.run('shifts', 'unassign', '2', '--to', '2026-03-01')
    expect(backwards.exitCode).toBe(2)
    expect(errorText(backwards.stderr)).toContain('Assignment 2 starts on 2026-03-02, after --to 2026-03-01: to undo it entirely, use attend shifts unassign 2 --delete.')
    const deleted = await site.run('shifts', 'unassign', '2', '--delete', '--json')
    expect(JSON.parse(deleted.stdout)).toMatchObject({deleted: true, assignment: {id: 2, shift: 'Night'}})
    expect(await shiftOn('2026-03-02')).toMatchObject({shift: 'Day'})
    expect((await site.run('shifts', 'unassign', '2')).exitCode).toBe(1)
    expect((await site.run('shifts', 'unassign', '1', '--to', '2026-03-04', '--delete')).exitCode).toBe(2)
  })
})

