import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {errorText} from '../helpers/cli.js'
import {cliSite} from '../attendance/cli-fixtures.js'

let site: Awaited<ReturnType<typeof cliSite>>
beforeEach(async () => {
  site = await cliSite()
  await site.run('shifts', 'add', 'Day', '--start', '07:00', '--end', '19:00', '--late-grace', '5')
  await site.run('shifts', 'add', 'Night', '--start', '19:00', '--end', '07:00')
})
afterEach(() => site.cleanup())

describe('attend rosters', () => {
  it('adds, shows and assigns a rotating roster; the cycle runs from its first date, and back-to-back shifts hand over', async () => {
    await site.employee('EMP001')
    const add = await site.run('rosters', 'add', 'Rotation', '--cycle', 'Night,Day,off')
    expect(add.stdout.trim()).toBe('Added roster Rotation: 3-day cycle Night, Day, off.')
    expect(JSON.parse((await site.run('rosters', 'list', '--json')).stdout).rosters).toEqual([{id: 1, name: 'Rotation', cycle: ['Night', 'Day', 'off'], days: 3}])

    site.punches('EMP001 2026-03-02 18:55', 'EMP001 2026-03-03 07:00', 'EMP001 2026-03-03 07:01', 'EMP001 2026-03-03 19:02')
    const assign = await site.run('rosters', 'assign', 'rotation', '--employee', 'emp001', '--from', '2026-03-02')
    expect(assign.exitCode).toBe(0)
    expect(assign.stdout).toContain('Assigned roster Rotation to EMP001 Employee EMP001 from 2026-03-02 (assignment 1).')
    expect(assign.stdout).toMatch(/Recomputed \d+ days for 1 employee \(2026-03-01 to 2026-03-06\)/)

    const rows = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-06', '--json')).stdout).days
    expect(rows.map((r: {date: string; shift: string | null; status: string}) => [r.date, r.shift, r.status])).toEqual([
      ['2026-03-02', 'Night', 'present'],
      ['2026-03-03', 'Day', 'present'],
      ['2026-03-04', null, 'weekly_off'],
      ['2026-03-05', 'Night', 'absent'],
      // 20:00 now: the day shift's after-margin closes at 20:00.
      ['2026-03-06', 'Day', 'pending'],
    ])
    // The night checks out at 07:00; the day checks in at 07:01, within its grace.
    expect(rows[0]).toMatchObject({checkOut: '2026-03-03 07:00', flags: []})
    expect(rows[1]).toMatchObject({checkIn: '07:01', checkOut: '19:02', flags: []})

    const show = await site.run('rosters', 'show', 'Rotation')
    expect(show.stdout).toMatch(/^Rotation: 3-day cycle\nDay\s+Shift\n\s+1\s+Night\n\s+2\s+Day\n\s+3\s+off\n/)
    expect(show.stdout).toMatch(/1\s+EMP001 Employee EMP001\s+2026-03-02\s+-/)
    expect((await site.run('shifts', 'assignments', '--employee', 'EMP001')).stdout).toMatch(/1\s+roster Rotation\s+EMP001 Employee EMP001\s+2026-03-02\s+-/)
  })

  it('updates a cycle and removes a roster with its assignments, recomputing the days', async () => {
    await site.employee('EMP001')
    await site.run('rosters', 'add', 'Rotation', '--cycle', 'Day,off')
    await site.run('rosters', 'assign', 'Rotation', '--employee', 'EMP001', '--from', '2026-03-02')
    const update = await site.run('rosters', 'update', 'Rotation', '--cycle', 'off,Day')
    expect(update.stdout).toContain('Updated roster Rotation: 2-day cycle off, Day.')
    expect(update.stdout).toMatch(/Recomputed \d+ days for 1 employee .*: [1-9]\d* changed\./)
    const remove = await site.run('rosters', 'remove', 'Rotation', '--json')
    expect(JSON.parse(remove.stdout)).toMatchObject({removed: 'Rotation', assignmentsRemoved: 1})
    expect(JSON.parse((await site.run('shifts', 'assignments', '--json')).stdout).assignments).toEqual([])
  })

  it('names the bad value and exits 1 or 2', async () => {
    const cases: [string[], number, string][] = [
      [['rosters', 'add', 'R', '--cycle', 'Day,Evening'], 1, 'Unknown shift "Evening" on day 2 of --cycle'],
      [['rosters', 'add', 'R', '--cycle', 'off'], 2, '--cycle has only days off: a roster needs at least one shift.'],
      [['rosters', 'add', 'R'], 2, 'Missing required flag cycle'],
      [['rosters', 'assign', 'Nope', '--employee', 'EMP001', '--from', '2026-03-02'], 1, 'Unknown roster "Nope": see attend rosters list.'],
      [['rosters', 'assign', 'R', '--employee', 'EMP001'], 2, 'Missing required flag from'],
      [['rosters', 'show', 'Nope'], 1, 'Unknown roster "Nope"'],
    ]
    for (const [args, exit, message] of cases) {
      const result = await site.run(...args)
      expect(result.exitCode, args.join(' ')).toBe(exit)
      expect(errorText(result.stderr)).toContain(message)
    }
    await site.run('rosters', 'add', 'R', '--cycle', 'Day')
    const used = await site.run('shifts', 'remove', 'Day')
    expect(used.exitCode).toBe(1)
    expect(errorText(used.stderr)).toContain('Shift "Day" is part of roster "R"')
  })
})
