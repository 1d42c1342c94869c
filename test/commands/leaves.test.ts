import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {errorText} from '../helpers/cli.js'
import {cliSite} from '../attendance/cli-fixtures.js'

let site: Awaited<ReturnType<typeof cliSite>>
beforeEach(async () => {
  site = await cliSite()
})
afterEach(() => site.cleanup())

describe('attend leaves', () => {
  it('records leave, shows those days as leave, lists and cancels it', async () => {
    await site.employee('EMP001')
    site.punches('EMP001 2026-03-02 08:00', 'EMP001 2026-03-02 17:00')
    const add = await site.run('leaves', 'add', 'emp001', '--from', '2026-03-03', '--to', '2026-03-09', '--type', 'annual')
    expect(add.exitCode).toBe(0)
    expect(add.stdout).toContain('Added annual leave for EMP001 (Employee EMP001) from 2026-03-03 to 2026-03-09.')
    const statuses = async () =>
      JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-06', '--json')).stdout).days.map((r: {status: string}) => r.status)
    expect(await statuses()).toEqual(['present', 'leave', 'leave', 'leave', 'leave'])

    const overlap = await site.run('leaves', 'add', 'EMP001', '--from', '2026-03-09', '--to', '2026-03-10')
    expect(overlap.exitCode).toBe(1)
    expect(errorText(overlap.stderr)).toContain('EMP001 is already on leave from 2026-03-03 to 2026-03-09')

    const list = JSON.parse((await site.run('leaves', 'list', '--employee', 'EMP001', '--json')).stdout).leaves
    expect(list).toEqual([expect.objectContaining({employeeCode: 'EMP001', from: '2026-03-03', to: '2026-03-09', type: 'annual'})])

    expect((await site.run('leaves', 'remove', String(list[0].id))).exitCode).toBe(0)
    // Without a shift, today stays open until midnight.
    expect(await statuses()).toEqual(['present', 'absent', 'absent', 'absent', 'pending'])
  })

  it('validates before writing', async () => {
    await site.employee('EMP001')
    const backwards = await site.run('leaves', 'add', 'EMP001', '--from', '2026-03-09', '--to', '2026-03-03')
    expect(backwards.exitCode).toBe(2)
    expect(errorText(backwards.stderr)).toContain('--to 2026-03-03 is before --from 2026-03-09: the end of the period must not come before its start.')
    expect(errorText((await site.run('leaves', 'add', 'EMP001', '--from', '3/9/2026', '--to', '2026-03-10')).stderr)).toContain('Invalid --from "3/9/2026"')
    expect(errorText((await site.run('leaves', 'add', 'NOBODY', '--from', '2026-03-09', '--to', '2026-03-10')).stderr)).toContain('Unknown employee code "NOBODY"')
    expect(JSON.parse((await site.run('leaves', 'list', '--json')).stdout).leaves).toEqual([])
  })

  it('records half a day of leave: the other half is worked against halved thresholds, shown distinctly', async () => {
    await site.employee('EMP001')
    await site.run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00', '--half-day-hours', '6')
    await site.run('config', 'set', 'default-shift', 'Day')
    site.punches('EMP001 2026-03-03 12:30', 'EMP001 2026-03-03 17:00')
    const add = await site.run('leaves', 'add', 'EMP001', '--from', '2026-03-03', '--to', '2026-03-03', '--half', 'first', '--type', 'personal')
    expect(add.stdout).toContain('Added half-day personal leave for EMP001 (Employee EMP001) on 2026-03-03 (first half).')
    const table = await site.run('attendance', 'list', '--from', '2026-03-03', '--to', '2026-03-03')
    // Starting at 12:30, the middle of the day, is not late; 4:30 meets half the 6 h threshold.
    expect(table.stdout).toMatch(/2026-03-03\s+EMP001 Employee EMP001\s+Day\s+present \(leave first half\)\s+12:30\s+17:00\s+4:30\s+-\s+-/)
    expect((await site.run('leaves', 'list')).stdout).toMatch(/EMP001 Employee EMP001\s+2026-03-03\s+2026-03-03\s+first\s+personal/)
    const multi = await site.run('leaves', 'add', 'EMP001', '--from', '2026-03-04', '--to', '2026-03-05', '--half', 'second')
    expect(multi.exitCode).toBe(2)
    expect(errorText(multi.stderr)).toContain('A half-day leave covers one date: --from and --to must be the same, not 2026-03-04 and 2026-03-05.')
  })
})

