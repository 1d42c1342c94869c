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
    expect(JSON.parse((await site.run('shifts', 'list', '--json')).stdout)).toEqual([])
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

    const days = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-02', '--json')).stdout).rows
    expect(days).toEqual([
      expect.objectContaining({employeeCode: 'EMP001', shift: 'Night', status: 'present', checkIn: '22:05', checkOut: '2026-03-03 06:00', lateMinutes: 5}),
      expect.objectContaining({employeeCode: 'EMP002', shift: 'Day', status: 'present', checkIn: '08:20', lateMinutes: 20, flags: ['late']}),
    ])

    const both = await site.run('shifts', 'assign', 'Day', '--employee', 'EMP001', '--department', 'Kitchen')
    expect(both.exitCode).toBe(2)
    const unknown = await site.run('shifts', 'assign', 'Day', '--employee', 'EMP404')
    expect(errorText(unknown.stderr)).toContain('Unknown employee code "EMP404": see attend employees list.')
    const backwards = await site.run('shifts', 'assign', 'Day', '--employee', 'EMP001', '--from', '2026-03-10', '--to', '2026-03-01')
    expect(errorText(backwards.stderr)).toContain('--to 2026-03-01 is before --from 2026-03-10.')
  })

  it('recomputes when the default shift or a shift rule changes, and protects the default shift', async () => {
    await site.employee('EMP001')
    site.punches('EMP001 2026-03-02 08:20', 'EMP001 2026-03-02 17:00')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
    const statusOf = async () =>
      JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-02', '--json')).stdout).rows[0]
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
