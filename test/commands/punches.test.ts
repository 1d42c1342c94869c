import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'

const fixtures = path.resolve(import.meta.dirname, '../fixtures')
const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

interface PunchView {
  id: number
  at: string
  localTime: string
  employeeCode: string | null
  deviceUserId: string
  direction: string | null
  device: string
  source: string
  manual: boolean
  note: string | null
}

async function site(): Promise<string> {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const db = path.join(t.dir, 'attend.db')
  await runJson(['init', '--db', db, '--timezone', 'Africa/Nairobi'])
  // Employees are written by the directory commands when present; the pipeline only needs the rows.
  const {openStore} = await import('../../src/db/open.js')
  const store = openStore(db)
  store.sqlite.prepare(`INSERT INTO employees (code, name, active, created_at, updated_at) VALUES ('EMP001', 'Amina Njoroge', 1, 0, 0)`).run()
  store.close()
  await runAttend(['import', path.join(fixtures, 'punches-export.csv'), '--db', db])
  return db
}

describe('attend punches', () => {
  it('lists punches in the site zone with filters', async () => {
    const db = await site()
    const all = (await runJson<{punches: PunchView[]}>(['punches', 'list', '--db', db])).punches
    expect(all).toHaveLength(5)
    expect(all[0]).toMatchObject({localTime: '2026-03-12 08:02:11', at: '2026-03-12T05:02:11.000Z', employeeCode: 'EMP001', direction: 'in', device: 'ZK-HQ-01', source: 'import:csv'})
    expect((await runJson<{punches: PunchView[]}>(['punches', 'list', '--employee', 'emp001', '--db', db])).punches).toHaveLength(2)
    expect((await runJson<{punches: PunchView[]}>(['punches', 'list', '--unmapped', '--db', db])).punches).toHaveLength(3)
    expect((await runJson<{punches: PunchView[]}>(['punches', 'list', '--device', 'ZK-HQ-02', '--db', db])).punches).toHaveLength(1)
    expect((await runJson<{punches: PunchView[]}>(['punches', 'list', '--from', '2026-03-13', '--to', '2026-03-13', '--db', db])).punches).toHaveLength(1)
    const limited = (await runJson<{punches: PunchView[]}>(['punches', 'list', '--limit', '2', '--db', db])).punches
    expect(limited.map((p) => p.localTime)).toEqual(['2026-03-12 17:31:40', '2026-03-13 07:55:00'])
    const table = await runAttend(['punches', 'list', '--to', '2026-03-12', '--db', db])
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+Time \(Africa\/Nairobi\)\s+Employee\s+User\s+Dir\s+Device\s+Source$/)
    expect(table.stdout).toMatch(/2026-03-12 08:02:11\s+EMP001 Amina Njoroge\s+EMP001\s+in\s+ZK-HQ-01\s+import:csv/)
    expect(table.stdout).toMatch(/unmapped\s+EMP002/)
  })

  it('adds a manual punch through the pipeline and removes only manual punches', async () => {
    const db = await site()
    const added = await runJson<PunchView>(['punches', 'add', 'EMP001', '--at', '2026-03-13 17:30', '--direction', 'out', '--note', 'forgot to punch out', '--db', db])
    expect(added).toMatchObject({localTime: '2026-03-13 17:30:00', at: '2026-03-13T14:30:00.000Z', employeeCode: 'EMP001', direction: 'out', device: 'manual', source: 'manual', manual: true, note: 'forgot to punch out'})
    const twice = await runAttend(['punches', 'add', 'EMP001', '--at', '2026-03-13 17:30', '--db', db])
    expect(twice.exitCode).toBe(1)
    expect(errorText(twice.stderr)).toContain(`EMP001 already has a manual punch at 2026-03-13 17:30 (punch ${added.id}).`)

    const device = ((await runJson<{punches: PunchView[]}>(['punches', 'list', '--device', 'ZK-HQ-02', '--db', db])).punches)[0]
    const refused = await runAttend(['punches', 'remove', String(device.id), '--db', db])
    expect(refused.exitCode).toBe(1)
    expect(errorText(refused.stderr)).toContain(`Punch ${device.id} came from ZK-HQ-02 (source import:csv); only manual punches can be removed.`)

    const removed = await runAttend(['punches', 'remove', String(added.id), '--db', db])
    expect(removed.exitCode).toBe(0)
    expect(removed.stdout).toBe(`Removed manual punch ${added.id}: EMP001 at 2026-03-13 17:30:00\n`)
    expect((await runJson<{punches: PunchView[]}>(['punches', 'list', '--device', 'manual', '--db', db])).punches).toEqual([])
    const gone = await runAttend(['punches', 'remove', String(added.id), '--db', db])
    expect(errorText(gone.stderr)).toContain(`No punch with id ${added.id}.`)
  })

  it('names bad input', async () => {
    const db = await site()
    const unknown = await runAttend(['punches', 'add', 'EMP404', '--at', '2026-03-13 17:30', '--db', db])
    expect([unknown.exitCode, errorText(unknown.stderr)]).toEqual([1, 'Error: Unknown employee code "EMP404": see attend employees list.'])
    const badTime = await runAttend(['punches', 'add', 'EMP001', '--at', '17:30', '--db', db])
    expect([badTime.exitCode, errorText(badTime.stderr)]).toEqual([2, 'Error: Invalid --at "17:30": expected "YYYY-MM-DD HH:MM" in the site time zone.'])
    const badDate = await runAttend(['punches', 'list', '--from', '12/03/2026', '--db', db])
    expect([badDate.exitCode, errorText(badDate.stderr)]).toEqual([2, 'Error: Invalid --from "12/03/2026": expected a real date written YYYY-MM-DD, such as 2026-03-02.'])
  })
})
