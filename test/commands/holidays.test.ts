import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {errorText} from '../helpers/cli.js'
import {cliSite} from '../attendance/cli-fixtures.js'

const fixture = path.join(fileURLToPath(new URL('../fixtures', import.meta.url)), 'holidays-2026.csv')
let site: Awaited<ReturnType<typeof cliSite>>
beforeEach(async () => {
  site = await cliSite()
})
afterEach(() => site.cleanup())

describe('attend holidays', () => {
  it('adds a holiday, which turns that day into a holiday for everyone; removing it restores the day', async () => {
    await site.employee('EMP001')
    site.punches('EMP001 2026-03-04 08:00', 'EMP001 2026-03-04 12:00')
    const add = await site.run('holidays', 'add', '2026-03-04', 'Founders Day')
    expect(add.exitCode).toBe(0)
    expect(add.stdout).toContain('Added holiday 2026-03-04 Founders Day.')
    expect(add.stdout).toContain('Recomputed 1 day for 1 employee (2026-03-04): 1 changed.')
    const day = async () => JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-04', '--to', '2026-03-04', '--json')).stdout).days[0]
    expect(await day()).toMatchObject({status: 'holiday', workedMinutes: 240, overtimeMinutes: 0, offDayMinutes: 240, flags: ['worked_on_holiday']})

    const duplicate = await site.run('holidays', 'add', '2026-03-04', 'Again')
    expect(duplicate.exitCode).toBe(1)
    expect(errorText(duplicate.stderr)).toContain('2026-03-04 is already a holiday (Founders Day)')

    expect((await site.run('holidays', 'remove', '2026-03-04')).stdout).toContain('Removed holiday 2026-03-04 Founders Day.')
    expect(await day()).toMatchObject({status: 'present', overtimeMinutes: 0})
    expect(errorText((await site.run('holidays', 'remove', '2026-03-04')).stderr)).toContain('2026-03-04 is not a holiday')
  })

  it('imports a CSV, keeping good rows and naming bad lines (exit 3), and lists by year', async () => {
    const result = await site.run('holidays', 'import', fixture)
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toContain('Imported holidays: 4 added, 0 changed, 0 unchanged, 2 rejected.')
    expect(errorText(result.stderr)).toContain('Line 5: Invalid date "2026-13-01": expected a real date written YYYY-MM-DD, such as 2026-03-02 (there is no month 13).')
    expect(errorText(result.stderr)).toContain('Line 6: The holiday name cannot be empty on line 6.')

    const again = JSON.parse((await site.run('holidays', 'import', fixture, '--json')).stdout)
    expect(again).toMatchObject({added: 0, unchanged: 4})

    const list = await site.run('holidays', 'list', '--year', '2026')
    expect(list.stdout.split('\n').filter((l) => l.startsWith('2026-'))).toHaveLength(4)
    expect(list.stdout).toMatch(/2026-12-25\s+Christmas Day/)
    expect(JSON.parse((await site.run('holidays', 'list', '--year', '2025', '--json')).stdout).holidays).toEqual([])
    expect(errorText((await site.run('holidays', 'list', '--year', '26')).stderr)).toContain('Invalid --year "26"')
    expect(errorText((await site.run('holidays', 'add', '2026-02-30', 'Nope')).stderr)).toContain('Invalid date "2026-02-30"')
  })

  it('adds a half-day holiday: the working half keeps its own figures, and work on a whole holiday is off-day work', async () => {
    await site.employee('EMP001')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
    await site.run('config', 'set', 'default-shift', 'Day')
    site.punches('EMP001 2026-03-04 08:00', 'EMP001 2026-03-04 13:30')
    const add = await site.run('holidays', 'add', '2026-03-04', 'Half term', '--half', 'second')
    expect(add.stdout).toContain('Added half-day holiday (second half off) 2026-03-04 Half term.')
    const day = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-04', '--to', '2026-03-04', '--json')).stdout).days[0]
    // The day ends at 12:30, its middle: the hour after it is overtime.
    expect(day).toMatchObject({status: 'present', halfOff: 'holiday_second_half', overtimeMinutes: 60, earlyMinutes: 0, flags: []})
    expect((await site.run('holidays', 'list')).stdout).toMatch(/2026-03-04\s+Half term\s+second half/)
    const bad = await site.run('holidays', 'add', '2026-03-05', 'X', '--half', 'evening')
    expect(bad.exitCode).toBe(2)
  })
})

