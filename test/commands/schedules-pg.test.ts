import pg from 'pg'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {errorText, runAttend, runJson} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'

const env = {ATTEND_NOW: '2026-03-06T20:00:00Z'}

/** Shifts and rosters on a PostgreSQL store: the same commands, the same output. */
describePg('attend shifts and rosters on PostgreSQL', () => {
  const database = usePgDatabase()
  const run = (args: string[]) => runAttend([...args, '--db', database.url], {env})
  const json = <T>(args: string[]) => runJson<T>([...args, '--db', database.url], {env})
  let client: pg.Client
  beforeAll(async () => {
    // The store is migrated by the first command; employees come from another section, seeded here.
    expect((await run(['shifts', 'list'])).exitCode).toBe(0)
    client = new pg.Client({connectionString: database.url})
    await client.connect()
    await client.query(`INSERT INTO employees (code, name, department, created_at, updated_at) VALUES ('EMP001', 'Alice', 'Kitchen', 1, 1), ('EMP002', 'Bob', 'Kitchen', 1, 1)`)
  })
  afterAll(async () => {
    await client?.end()
  })

  it('adds shifts and assigns them to an employee and a department', async () => {
    const day = await run(['shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00', '--late-grace', '10'])
    expect(day.exitCode).toBe(0)
    expect(day.stdout).toMatch(/^Added shift Day: 08:00–17:00/)
    expect((await run(['shifts', 'add', 'Night', '--start', '22:00', '--end', '06:00'])).exitCode).toBe(0)
    const taken = await run(['shifts', 'add', 'day', '--start', '07:00', '--end', '15:00'])
    expect([taken.exitCode, errorText(taken.stderr)]).toEqual([1, 'Error: A shift named "day" already exists: change it with attend shifts update.'])
    expect((await json<{shifts: {name: string; lateGraceMinutes: number}[]}>(['shifts', 'list'])).shifts.map((s) => [s.name, s.lateGraceMinutes])).toEqual([['Day', 10], ['Night', 0]])

    const assigned = await json<{assignment: {shift: string; employeeCode: string; from: string}; recomputed: null}>(['shifts', 'assign', 'Night', '--employee', 'EMP001', '--from', '2026-03-09'])
    expect(assigned).toEqual({assignment: expect.objectContaining({shift: 'Night', employeeCode: 'EMP001', from: '2026-03-09'}), recomputed: null})
    expect((await run(['shifts', 'assign', 'Day', '--department', 'Kitchen', '--from', '2026-03-09'])).exitCode).toBe(0)
    const {rows} = await client.query(`SELECT s.name AS shift, a.employee_id IS NOT NULL AS "forEmployee", a.department, a.from_date AS "from" FROM shift_assignments a JOIN shifts s ON s.id = a.shift_id ORDER BY a.id`)
    expect(rows).toEqual([
      {shift: 'Night', forEmployee: true, department: null, from: '2026-03-09'},
      {shift: 'Day', forEmployee: false, department: 'Kitchen', from: '2026-03-09'},
    ])
    const listed = await json<{assignments: {shift: string; via: string}[]}>(['shifts', 'assignments', '--employee', 'emp001'])
    expect(listed.assignments.map((a) => [a.shift, a.via])).toEqual([['Night', 'employee'], ['Day', 'department']])
    const unknown = await run(['shifts', 'assign', 'Night', '--employee', 'EMP404'])
    expect(unknown.exitCode).toBe(1)
    expect(errorText(unknown.stderr)).toContain('EMP404')
  })

  it('adds a roster from the shifts and assigns it from a date', async () => {
    const added = await json<{name: string; cycle: string[]; days: number}>(['rosters', 'add', 'Rotation', '--cycle', 'Day,Day,Night,Night,off,off'])
    expect(added).toMatchObject({name: 'Rotation', cycle: ['Day', 'Day', 'Night', 'Night', 'off', 'off'], days: 6})
    const bad = await run(['rosters', 'add', 'Other', '--cycle', 'Day,Evening'])
    expect(errorText(bad.stderr)).toContain('Unknown shift "Evening" on day 2 of --cycle')
    const assigned = await run(['rosters', 'assign', 'Rotation', '--employee', 'EMP002', '--from', '2026-03-09'])
    expect(assigned.exitCode).toBe(0)
    const shown = await json<{name: string; assignments: {employeeCode: string; from: string}[]}>(['rosters', 'show', 'Rotation'])
    expect(shown.assignments).toEqual([expect.objectContaining({employeeCode: 'EMP002', from: '2026-03-09'})])
    expect((await client.query(`SELECT cycle FROM rosters`)).rows).toEqual([{cycle: expect.stringMatching(/^\[\d+,\d+,\d+,\d+,null,null\]$/)}])
  })
})
