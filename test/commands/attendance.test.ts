import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {errorText} from '../helpers/cli.js'
import {cliSite} from '../attendance/cli-fixtures.js'

let site: Awaited<ReturnType<typeof cliSite>>
beforeEach(async () => {
  site = await cliSite()
})
afterEach(() => site.cleanup())

describe('attend attendance list', () => {
  it('shows status, local check-in/out, worked, late/early minutes and flags as a table and as JSON', async () => {
    await site.employee('EMP001', 'Kitchen')
    await site.employee('EMP002', 'Office')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00', '--late-grace', '5', '--early-grace', '5', '--half-day-hours', '6')
    await site.run('config', 'set', 'default-shift', 'Day')
    site.punches('EMP001 2026-03-02 08:12', 'EMP001 2026-03-02 17:30', 'EMP001 2026-03-03 08:00', 'EMP001 2026-03-03 13:00', 'EMP002 2026-03-02 07:58')

    const table = await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-03')
    expect(table.exitCode).toBe(0)
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^Date\s+Employee\s+Shift\s+Status\s+In\s+Out\s+Worked\s+Late\s+Early\s+OT\s+Off-day\s+Flags$/)
    // Overtime is the work after the end (17:00-17:30), however late the day began.
    expect(lines[1]).toMatch(/^2026-03-02\s+EMP001 Employee EMP001\s+Day\s+present\s+08:12\s+17:30\s+9:18\s+12\s+-\s+0:30\s+-\s+late$/)
    // One punch: no worked time, so below the half-day threshold.
    expect(lines[2]).toMatch(/^2026-03-02\s+EMP002 Employee EMP002\s+Day\s+half_day\s+07:58\s+-\s+0:00\s+-\s+-\s+-\s+-\s+missed_punch$/)
    expect(lines[3]).toMatch(/^2026-03-03\s+EMP001 Employee EMP001\s+Day\s+half_day\s+08:00\s+13:00\s+5:00\s+-\s+240\s+-\s+-\s+early_departure$/)

    const json = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-06', '--employee', 'EMP001', '--status', 'half_day', '--json')).stdout)
    expect(json).toMatchObject({total: 1, offset: 0, limit: null, from: '2026-03-02', to: '2026-03-06', timezone: 'Africa/Nairobi'})
    expect(json.days).toEqual([
      {
        date: '2026-03-03', employeeCode: 'EMP001', employeeName: 'Employee EMP001', department: 'Kitchen', status: 'half_day', shift: 'Day',
        checkIn: '08:00', checkOut: '13:00', checkInAt: '2026-03-03T05:00:00.000Z', checkOutAt: '2026-03-03T10:00:00.000Z',
        workedMinutes: 300, lateMinutes: 0, earlyMinutes: 240, overtimeMinutes: 0, offDayMinutes: 0, halfOff: null, flags: ['early_departure'],
        punchCount: 2, manual: false, note: null,
      },
    ])
    const office = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-02', '--department', 'office', '--json')).stdout)
    expect(office.days.map((r: {employeeCode: string}) => r.employeeCode)).toEqual(['EMP002'])
  })

  it('requires a valid range and status', async () => {
    expect((await site.run('attendance', 'list', '--from', '2026-03-02')).exitCode).toBe(2)
    const status = await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-03', '--status', 'sick')
    expect(status.exitCode).toBe(2)
    expect(errorText(status.stderr)).toContain('Invalid --status "sick": expected one of present, absent, half_day, holiday, weekly_off, leave, pending.')
    expect((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-03')).stdout).toContain('No attendance records from 2026-03-02 to 2026-03-03')
  })
})

describe('attend attendance set / unset', () => {
  it('sets a day by hand that recompute never overwrites, shows it as manual, and unsets it', async () => {
    await site.employee('EMP001')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00', '--late-grace', '5')
    await site.run('config', 'set', 'default-shift', 'Day')
    site.punches('EMP001 2026-03-03 09:00')

    const set = await site.run('attendance', 'set', 'emp001', '2026-03-03', '--status', 'present', '--in', '08:10', '--out', '17:30', '--note', 'Reader was down')
    expect(set.exitCode).toBe(0)
    expect(set.stdout).toBe(
      'Set EMP001 on 2026-03-03 to present 08:10–17:30 by hand (Reader was down).\n2026-03-03: present, worked 9:20, late 10 min, overtime 0:30 (shift Day).\n',
    )
    const leave = await site.run('attendance', 'set', 'EMP001', '2026-03-04', '--status', 'leave', '--json')
    expect(JSON.parse(leave.stdout)).toMatchObject({manual: {status: 'leave', checkIn: null, note: null}, day: {status: 'leave', manual: true, flags: ['manual']}})

    // Neither a recompute nor a new punch changes an admin's day.
    expect((await site.run('recompute', '--from', '2026-03-02', '--to', '2026-03-06')).exitCode).toBe(0)
    site.punches('EMP001 2026-03-04 08:00', 'EMP001 2026-03-04 17:00')
    const table = await site.run('attendance', 'list', '--from', '2026-03-03', '--to', '2026-03-04')
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/\s+Flags\s+Note$/)
    expect(lines[1]).toMatch(/^2026-03-03\s+EMP001 Employee EMP001\s+Day\s+present\s+08:10\s+17:30\s+9:20\s+10\s+-\s+0:30\s+-\s+late,manual\s+Reader was down$/)
    expect(lines[2]).toMatch(/^2026-03-04\s+EMP001 Employee EMP001\s+Day\s+leave\s+-\s+-\s+0:00\s+-\s+-\s+-\s+-\s+manual\s+-$/)
    const manualOnly = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-06', '--manual', '--json')).stdout).days
    expect(manualOnly.map((r: {date: string}) => r.date)).toEqual(['2026-03-03', '2026-03-04'])

    const unset = await site.run('attendance', 'unset', 'EMP001', '2026-03-04')
    expect(unset.stdout).toBe('Unset the manual leave of EMP001 on 2026-03-04.\n2026-03-04 is computed from the punches again: present.\n')
    const again = await site.run('attendance', 'unset', 'EMP001', '2026-03-04')
    expect(again.exitCode).toBe(1)
    expect(errorText(again.stderr)).toContain('EMP001 has no manual day on 2026-03-04: see attend attendance list --manual.')
  })

  it('names the bad value and exits 2', async () => {
    await site.employee('EMP001')
    const cases: [string[], string][] = [
      [['--status', 'lunch'], 'Invalid --status "lunch": expected one of present, absent, half_day, leave, holiday, weekly_off.'],
      [['--status', 'present', '--in', '08:00'], 'Give both --in and --out (HH:MM), or neither'],
      [['--status', 'absent', '--in', '08:00', '--out', '12:00'], '--in and --out go with --status present or half_day, not absent.'],
      [['--status', 'present', '--in', '25:00', '--out', '12:00'], 'Invalid --in "25:00"'],
      [[], 'Missing required flag status'],
    ]
    for (const [flags, message] of cases) {
      const result = await site.run('attendance', 'set', 'EMP001', '2026-03-03', ...flags)
      expect(result.exitCode, flags.join(' ')).toBe(2)
      expect(errorText(result.stderr)).toContain(message)
    }
    const date = await site.run('attendance', 'set', 'EMP001', '03/03/2026', '--status', 'absent')
    expect(errorText(date.stderr)).toContain('Invalid date "03/03/2026": expected a real date written YYYY-MM-DD, such as 2026-03-02.')
  })
})

