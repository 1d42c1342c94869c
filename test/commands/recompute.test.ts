import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {errorText} from '../helpers/cli.js'
import {cliSite} from '../attendance/cli-fixtures.js'

let site: Awaited<ReturnType<typeof cliSite>>
beforeEach(async () => {
  site = await cliSite()
})
afterEach(() => site.cleanup())

describe('attend recompute', () => {
  it('recomputes the last 31 days by default, idempotently, with a summary and no progress bar off a terminal', async () => {
    await site.employee('EMP001', 'Kitchen')
    await site.employee('EMP002', 'Office')
    const first = await site.run('recompute', '--json')
    expect(first.exitCode).toBe(0)
    // 2026-02-04 … 2026-03-06 for 2 employees.
    expect(JSON.parse(first.stdout)).toEqual({employees: 2, days: 62, changed: 62, from: '2026-02-04', to: '2026-03-06'})
    const second = await site.run('recompute')
    expect(second.stdout.trim()).toBe('Recomputed 62 days for 2 employees (2026-02-04 to 2026-03-06): 0 changed.')
    expect(second.stderr).toBe('')
  })

  it('limits the run to an employee or a department', async () => {
    await site.employee('EMP001', 'Kitchen')
    await site.employee('EMP002', 'Office')
    const one = await site.run('recompute', '--from', '2026-03-02', '--to', '2026-03-06', '--employee', 'EMP002')
    expect(one.stdout).toContain('Recomputed 5 days for 1 employee (2026-03-02 to 2026-03-06): 5 changed.')
    const dept = await site.run('recompute', '--from', '2026-03-02', '--to', '2026-03-06', '--department', 'kitchen', '--json')
    expect(JSON.parse(dept.stdout)).toMatchObject({employees: 1, days: 5, changed: 5})
  })

  it('rejects bad flags with one sentence', async () => {
    const both = await site.run('recompute', '--employee', 'EMP001', '--department', 'Kitchen')
    expect(both.exitCode).toBe(2)
    const bad = await site.run('recompute', '--from', '2026-03-32')
    expect(bad.exitCode).toBe(2)
    expect(errorText(bad.stderr)).toContain('Invalid --from "2026-03-32": expected a real date written YYYY-MM-DD, such as 2026-03-02 (March 2026 has 31 days).')
    const after = await site.run('recompute', '--from', '2026-03-10', '--to', '2026-03-01')
    expect(errorText(after.stderr)).toContain('--to 2026-03-01 is before --from 2026-03-10: the end of the period must not come before its start.')
  })

  it('covers every employee employed in the range and removes days outside employment', async () => {
    await site.employee('EMP001')
    await site.employee('EMP002')
    await site.run('recompute', '--from', '2026-03-02', '--to', '2026-03-06')
    // A leaving date in the past, recorded on the store directly (as an older attend or a sync tool would).
    const store = openStore(site.db)
    store.sqlite.prepare(`UPDATE employees SET active = 0, left_on = '2026-03-03' WHERE code = 'EMP002'`).run()
    store.close()
    const result = JSON.parse((await site.run('recompute', '--from', '2026-03-02', '--to', '2026-03-06', '--json')).stdout)
    expect(result).toEqual({employees: 2, days: 7, changed: 3, from: '2026-03-02', to: '2026-03-06'})
    const rows = JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-02', '--to', '2026-03-06', '--employee', 'EMP002', '--json')).stdout).days
    expect(rows.map((r: {date: string}) => r.date)).toEqual(['2026-03-02', '2026-03-03'])
  })
})

