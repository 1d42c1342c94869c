import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {errorText, runAttend, tempDir} from '../helpers/cli.js'

const tmp = tempDir()
const env = {ATTEND_DB: path.join(tmp.dir, 'attend.db')}
afterAll(() => tmp.cleanup())
beforeAll(async () => {
  await runAttend(['init', '--timezone', 'Africa/Nairobi'], {env})
  await runAttend(['employees', 'add', '--code', 'EMP001', '--name', 'Asha Kamau'], {env})
})

const bad = '2026-02-30'
const because = 'expected a real date written YYYY-MM-DD, such as 2026-03-02 (February 2026 has 28 days).'

describe('every command reads a date the same way', () => {
  it.each([
    [['attendance', 'list', '--from', bad, '--to', '2026-03-01'], '--from'],
    [['attendance', 'set', 'EMP001', bad, '--status', 'present'], 'date'],
    [['attendance', 'unset', 'EMP001', bad], 'date'],
    [['punches', 'list', '--from', bad], '--from'],
    [['recompute', '--to', bad], '--to'],
    [['leaves', 'add', 'EMP001', '--from', bad, '--to', '2026-03-01'], '--from'],
    [['leaves', 'list', '--to', bad], '--to'],
    [['shifts', 'assign', 'Day', '--employee', 'EMP001', '--from', bad], '--from'],
    [['shifts', 'unassign', '1', '--to', bad], '--to'],
    [['rosters', 'assign', 'Guards', '--employee', 'EMP001', '--from', bad], '--from'],
    [['holidays', 'add', bad, 'Founders Day'], 'date'],
    [['holidays', 'remove', bad], 'date'],
    [['employees', 'add', '--name', 'Brian Otieno', '--joined-on', bad], 'joined_on'],
    [['employees', 'update', 'EMP001', '--left-on', bad], 'left_on'],
    [['devices', 'queue', 'CDQ9192960002', '--attlog-from', bad], '--attlog-from'],
    [['report', 'summary', '--from', bad, '--to', '2026-03-31'], '--from'],
    [['report', 'register', '--from', '2026-02-01', '--to', bad], '--to'],
    [['report', 'daily', '--date', bad], '--date'],
    [['report', 'late', '--from', bad, '--to', '2026-03-31'], '--from'],
    [['report', 'punches', '--from', bad, '--to', '2026-03-31'], '--from'],
  ])('attend %j', async (args, name) => {
    const result = await runAttend(args, {env})
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe(`Error: Invalid ${name} "${bad}": ${because}`)
  })

  it('and a backwards range', async () => {
    for (const args of [
      ['punches', 'list', '--from', '2026-03-05', '--to', '2026-03-01'],
      ['attendance', 'list', '--from', '2026-03-05', '--to', '2026-03-01'],
      ['report', 'summary', '--from', '2026-03-05', '--to', '2026-03-01'],
      ['leaves', 'list', '--from', '2026-03-05', '--to', '2026-03-01'],
    ]) {
      const result = await runAttend(args, {env})
      expect(result.exitCode, args.join(' ')).toBe(2)
      expect(errorText(result.stderr)).toBe('Error: --to 2026-03-01 is before --from 2026-03-05: the end of the period must not come before its start.')
    }
  })
})

describe('one sentence per kind of failure', () => {
  it('an unknown employee reads the same everywhere, and --json names the param and what helps', async () => {
    for (const args of [
      ['punches', 'list', '--employee', 'EMP404'],
      ['punches', 'add', 'EMP404', '--at', '2026-03-02 08:00'],
      ['report', 'summary', '--from', '2026-03-01', '--to', '2026-03-31', '--employee', 'EMP404'],
      ['leaves', 'add', 'EMP404', '--from', '2026-03-02', '--to', '2026-03-02'],
      ['employees', 'show', 'EMP404'],
      ['attendance', 'set', 'EMP404', '2026-03-02', '--status', 'present'],
    ]) {
      const result = await runAttend(args, {env})
      expect(result.exitCode, args.join(' ')).toBe(1)
      expect(errorText(result.stderr), args.join(' ')).toBe('Error: Unknown employee code "EMP404": see attend employees list.')
    }
    const json = await runAttend(['punches', 'list', '--employee', 'EMP404', '--json'], {env})
    expect(JSON.parse(json.stdout).error).toEqual({
      message: 'Unknown employee code "EMP404": see attend employees list.',
      code: 'not_found',
      param: 'employee',
      actions: ['attend employees list'],
      exit: 1,
    })
  })
})
