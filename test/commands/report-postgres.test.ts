import path from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'
import {insertDevice, insertEmployees, insertHoliday, insertPunches, seedJanuary2023} from '../reports/seed.js'

/**
 * Every report from a store moved to PostgreSQL with `attend db copy` is the same bytes as from the
 * SQLite store it came from: the same rows read through the other adapter give the same model, and
 * the layouts are shared (docs/architecture.md, "The store port").
 */
describePg('attend report on PostgreSQL', () => {
  const database = usePgDatabase()
  let site: ReturnType<typeof tempDir>
  let db: string
  // Pinned: the days settled as the report reads them depend on "now".
  const env = {ATTEND_NOW: '2023-02-01T10:00:00Z'}
  const generated = ['--generated-at', '2023-02-01T10:00:00Z']

  beforeAll(async () => {
    site = tempDir()
    db = path.join(site.dir, 'attend.db')
    const store = openStore(db)
    writeSettings(store, {timezone: 'Africa/Nairobi', weekOff: ['sat', 'sun'], reportTitle: 'Zespół Szkół — Kadry'}, 0)
    const {ids} = seedJanuary2023(store)
    // Someone with no stored day at all (their days are settled as the report reads them), and a
    // leaver who left mid-month.
    const [late, leaver] = insertEmployees(store, [
      {code: 'EMP005', name: 'Ama Mensah', department: 'IT'},
      {code: 'EMP006', name: 'Kofi Boateng', department: 'HR', active: false, leftOn: '2023-01-13'},
    ])
    insertHoliday(store, '2023-01-02', 'New Year (observed)')
    const gate = insertDevice(store, 'GATE-1', 'Main gate')
    const at = (time: string) => Date.parse(`2023-01-31T${time}:00+03:00`)
    insertPunches(store, [
      {deviceKey: 'GATE-1', deviceId: gate, deviceUserId: '1', employeeId: ids[0], instant: at('08:55'), direction: 'in'},
      {deviceKey: 'GATE-1', deviceId: gate, deviceUserId: '5', employeeId: late, instant: at('09:20')},
      {deviceKey: 'GATE-1', deviceId: gate, deviceUserId: '5', employeeId: late, instant: at('17:02'), manual: true, source: 'manual'},
      {deviceKey: 'GATE-1', deviceId: gate, deviceUserId: '77', employeeId: null, instant: at('10:00')},
      {deviceKey: 'GATE-1', deviceId: gate, deviceUserId: '6', employeeId: leaver, instant: Date.parse('2023-01-10T08:00:00+03:00')},
    ])
    store.close()
    const copied = await runAttend(['db', 'copy', '--from', db, '--to', database.url])
    expect(copied.stderr).toBe('')
    expect(copied.exitCode).toBe(0)
  })
  afterAll(() => site?.cleanup())

  const both = async (args: string[]) => {
    const sqlite = await runAttend([...args, '--db', db], {env})
    const pg = await runAttend([...args, '--db', database.url], {env})
    expect(sqlite.stderr).toBe('')
    expect(sqlite.exitCode).toBe(0)
    return {sqlite, pg}
  }

  it.each([
    ['summary table', ['report', 'summary', '--from', '2023-01-01', '--to', '2023-01-31']],
    ['summary CSV', ['report', 'summary', '--from', '2023-01-01', '--to', '2023-01-31', '--format', 'csv']],
    ['register CSV', ['report', 'register', '--from', '2023-01-01', '--to', '2023-01-31', '--format', 'csv']],
    ['register PDF', ['report', 'register', '--from', '2023-01-01', '--to', '2023-01-31', '--format', 'pdf']],
    ['late CSV', ['report', 'late', '--from', '2023-01-01', '--to', '2023-01-31', '--format', 'csv']],
    ['daily table', ['report', 'daily', '--date', '2023-01-31']],
    ['daily CSV, one department', ['report', 'daily', '--date', '2023-01-31', '--department', 'it', '--format', 'csv']],
    ['daily PDF', ['report', 'daily', '--date', '2023-01-31', '--format', 'pdf']],
    ['punches CSV', ['report', 'punches', '--from', '2023-01-01', '--to', '2023-01-31', '--format', 'csv']],
    ['summary of one employee by code', ['report', 'summary', '--from', '2023-01-01', '--to', '2023-01-31', '--employee', 'emp005', '--format', 'json']],
  ])('%s: the same bytes as from SQLite', async (_name, args) => {
    const {sqlite, pg} = await both([...args, ...generated])
    expect(pg.stderr).toBe('')
    expect(pg.exitCode).toBe(0)
    expect(pg.stdout.length).toBeGreaterThan(100)
    expect(pg.stdout).toBe(sqlite.stdout)
  })

  it('settles the days nobody computed and lists the leaver for the time employed', async () => {
    const summary = await runJson(['report', 'summary', '--from', '2023-01-01', '--to', '2023-01-31', '--db', database.url, ...generated], {env})
    const users = Object.fromEntries((summary as {users: {name: string; attendance: {working_days: number; absent_days: number}}[]}).users.map((u) => [u.name, u.attendance]))
    // Ama has no stored day: January's working days (21, the observed holiday off) are settled on
    // the fly; Kofi left on the 13th and is listed for the nine working days before.
    expect(users['Ama Mensah']).toMatchObject({working_days: 21})
    expect(users['Kofi Boateng']).toMatchObject({working_days: 9})
  })

  it('refuses an unknown employee or department in the same sentence as on SQLite', async () => {
    for (const flags of [['--employee', 'EMP999'], ['--department', 'Sales']]) {
      const {sqlite, pg} = await runBoth(['report', 'summary', '--from', '2023-01-01', '--to', '2023-01-31', ...flags])
      expect(pg.exitCode).toBe(sqlite.exitCode)
      expect(errorText(pg.stderr)).toBe(errorText(sqlite.stderr))
    }
  })

  const runBoth = async (args: string[]) => ({
    sqlite: await runAttend([...args, '--db', db], {env}),
    pg: await runAttend([...args, '--db', database.url], {env}),
  })
})
