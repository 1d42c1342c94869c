import path from 'node:path'
import {expect, it} from 'vitest'

import {runAttend, runJson, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'

const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', name)

/**
 * The ingest and attendance commands on a store moved to PostgreSQL answer exactly as on the SQLite
 * store it came from (docs/architecture.md, "The store port"): same import counts and rejected
 * lines, same punches, same recompute, same days.
 */
describePg('import, punches, recompute and attendance on PostgreSQL', () => {
  const database = usePgDatabase()

  it('answers as SQLite does, command for command', async () => {
    const site = tempDir()
    try {
      const env = {ATTEND_DB: path.join(site.dir, 'site.db')}
      expect((await runAttend(['init', '--timezone', 'Africa/Nairobi'], {env})).exitCode).toBe(0)
      for (const [code, name] of [['1', 'Asha Kamau'], ['23', 'Brian Otieno'], ['105', 'Carol Wanjiru']]) {
        expect((await runAttend(['employees', 'add', '--code', code, '--name', name], {env})).exitCode).toBe(0)
      }
      expect((await runAttend(['db', 'copy', '--to', database.url], {env})).exitCode).toBe(0)
      const pg = {ATTEND_DB: database.url}

      const steps = [
        ['import', fixture('attlog.dat')],
        ['import', fixture('attlog.dat')],
        ['punches', 'list', '--from', '2026-03-09', '--to', '2026-03-10'],
        ['punches', 'add', '23', '--at', '2026-03-10 17:05', '--direction', 'out', '--note', 'reader down'],
        ['recompute', '--from', '2026-03-09', '--to', '2026-03-10'],
        ['attendance', 'list', '--from', '2026-03-09', '--to', '2026-03-10'],
        ['attendance', 'set', '105', '2026-03-10', '--status', 'leave', '--note', 'Clinic'],
        ['attendance', 'list', '--from', '2026-03-10', '--to', '2026-03-10', '--manual'],
        ['attendance', 'unset', '105', '2026-03-10'],
        ['recompute', '--from', '2026-03-09', '--to', '2026-03-10', '--employee', '23'],
      ]
      for (const step of steps) {
        const onSqlite = await runAttend(step, {env})
        expect([step, onSqlite.exitCode]).toEqual([step, step[0] === 'import' ? 3 : 0])
        const onPg = await runAttend(step, {env: pg})
        expect({step, exit: onPg.exitCode, stdout: onPg.stdout, stderr: onPg.stderr}).toEqual({step, exit: onSqlite.exitCode, stdout: onSqlite.stdout, stderr: onSqlite.stderr})
      }
      const again = await runAttend(['import', fixture('attlog.dat'), '--json'], {env: pg})
      expect(again.exitCode).toBe(3)
      expect(JSON.parse(again.stdout)).toMatchObject({read: 7, stored: 0, duplicates: 6, rejected: 1})
      const runs = (await runJson(['imports', 'list'], {env: pg})) as {total: number; imports: {status: string; stored: number}[]}
      expect(runs.total).toBe(3)
      expect(runs.imports.map((run) => [run.status, run.stored])).toEqual([['partial', 0], ['partial', 0], ['partial', 6]])
      const punches = (await runJson(['punches', 'list'], {env: pg})) as {total: number}
      expect(punches.total).toBe(7)
      expect((await runAttend(['punches', 'remove', '1'], {env: pg})).exitCode).toBe(1)
    } finally {
      site.cleanup()
    }
  }, 300_000)
})
