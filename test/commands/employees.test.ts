import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

interface EmployeeJson {
  code: string
  name: string
  department: string | null
  active: boolean
  leftOn: string | null
}

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const env = {ATTEND_DB: db, ATTEND_NOW: '2026-03-12T09:00:00Z'}
afterAll(() => tmp.cleanup())

describe('attend employees', () => {
  beforeAll(async () => {
    const init = await runAttend(['init', '--timezone', 'Africa/Nairobi'], {env})
    expect(init.exitCode).toBe(0)
  })

  it('imports the fixture and reports the counts', async () => {
    const result = await runAttend(['employees', 'import', fixture('employees.csv')], {env})
    expect(result).toEqual({stdout: 'employees.csv: 5 rows read, 5 added, 0 updated, 0 unchanged, 0 rejected.\n', stderr: '', exitCode: 0})
  })

  it('lists with filters and paging as JSON', async () => {
    const teaching = await runJson<{total: number; employees: EmployeeJson[]}>(['employees', 'list', '--department', 'teaching', '--limit', '2'], {env})
    expect(teaching.total).toBe(3)
    expect(teaching.employees.map((e) => e.code)).toEqual(['EMP001', 'EMP002'])
  })

  it('prints a table, filtered by a search string', async () => {
    const result = await runAttend(['employees', 'list', '--search', 'wanjiru'], {env})
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split('\n')[0]).toMatch(/^Code\s+Name\s+Department\s+Email\s+Phone\s+Joined\s+Status$/)
    expect(result.stdout).toMatch(/EMP003\s+Wanjiru, Grace\s+Administration\s+grace@greenfield.ac.ke\s+0722 000 111\s+2019-09-02\s+active/)
    expect(result.stdout.trim().split('\n')).toHaveLength(2)
  })

  it('adds with a generated code, updates, deactivates and shows', async () => {
    const added = await runJson<EmployeeJson>(['employees', 'add', '--name', 'Daniel Kimani', '--department', 'Library'], {env})
    expect(added).toMatchObject({code: 'EMP006', name: 'Daniel Kimani', active: true})
    const updated = await runAttend(['employees', 'update', 'emp006', '--phone', '+254 700 000001', '--department', ''], {env})
    expect(updated.stdout).toBe('Updated EMP006 Daniel Kimani.\n')
    const left = await runAttend(['employees', 'deactivate', 'EMP006'], {env})
    expect(left.stdout).toContain('Deactivated EMP006 Daniel Kimani (left on 2026-03-12).\n')
    const shown = await runAttend(['employees', 'show', 'EMP006'], {env})
    expect(shown.stdout).toContain('Phone:        +254 700 000001\n')
    expect(shown.stdout).toContain('Department:   -\n')
    expect(shown.stdout).toContain('Status:       inactive\n')
  })

  it('imports a bad file partially: good rows in, bad lines named on stderr, exit 3', async () => {
    const result = await runAttend(['employees', 'import', fixture('employees-bad.csv')], {env})
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toBe('employees-bad.csv: 8 rows read, 2 added, 0 updated, 0 unchanged, 6 rejected.\n')
    expect(result.stderr.split('\n')).toEqual([
      'line 3: Invalid email "kevin@": expected an address such as asha@example.com',
      'line 4: Invalid joined_on "2024-02-30": expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2024 has 29 days)',
      'line 5: code is empty',
      'line 6: a quote is opened but never closed',
      'line 7: has 6 fields but the header has 5 (an unquoted ";" inside a value?)',
      'line 8: code EMP010 already appears on line 2',
      '',
    ])
    const json = await runAttend(['employees', 'import', fixture('employees-bad.csv'), '--json'], {env})
    expect(json.exitCode).toBe(3)
    expect(JSON.parse(json.stdout)).toMatchObject({created: 0, unchanged: 2, rejected: [{line: 3}, {line: 4}, {line: 5}, {line: 6}, {line: 7}, {line: 8}]})
  })

  it('names an unknown employee', async () => {
    const result = await runAttend(['employees', 'show', 'EMP404'], {env})
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toBe('Error: Unknown employee code "EMP404": see attend employees list.')
  })
})

describe('attend employees: employment dates changed later', () => {
  it('removes the days after a past leaving date, and the days before a later joining date', async () => {
    const {cliSite} = await import('../attendance/cli-fixtures.js')
    const site = await cliSite()
    try {
      await site.employee('EMP001')
      await site.run('recompute', '--from', '2026-03-02', '--to', '2026-03-06')
      const dates = async () =>
        JSON.parse((await site.run('attendance', 'list', '--from', '2026-03-01', '--to', '2026-03-06', '--json')).stdout).days.map((r: {date: string}) => r.date)
      expect(await dates()).toHaveLength(6)

      const left = await site.run('employees', 'deactivate', 'EMP001', '--left-on', '2026-03-04')
      expect(left.stdout).toBe('Deactivated EMP001 Employee EMP001 (left on 2026-03-04).\nRecomputed 1 day for 1 employee (2026-03-04 to 2026-03-06): 2 changed.\n')
      expect(await dates()).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'])

      const joined = await site.run('employees', 'update', 'EMP001', '--joined-on', '2026-03-03', '--json')
      expect(JSON.parse(joined.stdout)).toMatchObject({joinedOn: '2026-03-03', recomputed: {employees: 1, changed: 2}})
      expect(await dates()).toEqual(['2026-03-03', '2026-03-04'])
    } finally {
      site.cleanup()
    }
  })
})
