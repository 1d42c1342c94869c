import {afterEach, describe, expect, it} from 'vitest'

import type {PunchSubscriber} from '../../src/punches/events.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {addManualPunch, listPunches, removeManualPunch} from '../../src/punches/service.js'
import type {StoredPunch} from '../../src/punches/types.js'
import {describeEngines} from '../helpers/engines.js'
import {testStore, unopenedPort} from '../helpers/store.js'
import {addEmployee, addEngineEmployee, countEnginePunches, countPunches} from './seed.js'

const NOW = Date.parse('2026-03-14T10:00:00Z')

describeEngines('manual punches', (store) => {
  const port = () => store().port
  const day = async (employeeId: number, date: string) =>
    (await store().all<{status: string; punch_count: number}>(
      `SELECT status, punch_count FROM attendance_days WHERE employee_id = ${employeeId} AND date = '${date}'`,
    ))[0]

  it('adds through the pipeline, and the change and its removal reach the day', async () => {
    const alice = await addEngineEmployee(store(), 'EMP001', 'Alice')
    const added = await addManualPunch(port(), {employeeCode: 'emp001', at: '2026-03-13 18:00', direction: 'OUT'}, NOW)
    expect(added).toMatchObject({employeeCode: 'EMP001', localTime: '2026-03-13 18:00:00', at: '2026-03-13T12:30:00.000Z', direction: 'out', manual: true})
    expect(await store().all('SELECT id, employee_id, source, instant FROM punches')).toEqual([
      {id: added.id, employee_id: alice, source: 'manual', instant: Date.parse('2026-03-13T12:30:00Z')},
    ])
    expect(await day(alice, '2026-03-13')).toMatchObject({status: 'present', punch_count: 1})

    const removed = await removeManualPunch(port(), added.id, NOW)
    expect(removed).toMatchObject({id: added.id, employeeCode: 'EMP001', direction: 'out'})
    expect(await countEnginePunches(store())).toBe(0)
    expect(await day(alice, '2026-03-13')).toMatchObject({status: 'absent', punch_count: 0})
  })

  it('validates before opening the store', async () => {
    await expect(addManualPunch(unopenedPort(), {employeeCode: 'E', at: '2026-03-13'}, NOW)).rejects.toThrow('Invalid --at "2026-03-13"')
    await expect(addManualPunch(unopenedPort(), {employeeCode: 'E', at: '2026-03-13 08:00', direction: 'up'}, NOW)).rejects.toThrow('Invalid --direction "up": expected in or out.')
    await expect(listPunches(unopenedPort(), {from: '2026-03-14', to: '2026-03-13'})).rejects.toThrow('--to 2026-03-13 is before --from 2026-03-14: the end of the period must not come before its start.')
    await expect(listPunches(unopenedPort(), {limit: 0})).rejects.toThrow('Invalid --limit 0')
    await expect(removeManualPunch(unopenedPort(), 0, NOW)).rejects.toThrow('Invalid punch id "0"')
  })
}, {timezone: 'Asia/Kolkata'})

// Punch subscribers are hooks of SQLite's group commit; on PostgreSQL the same follow-up work
// (recompute, webhook outbox) runs in the adapter's transaction and is checked above through the day.
describe('manual punches on SQLite', () => {
  const stores: Array<{cleanup: () => void}> = []
  afterEach(() => stores.splice(0).forEach((s) => s.cleanup()))

  it('adds through the pipeline and publishes a removal as removed', async () => {
    const s = testStore({timezone: 'Asia/Kolkata'})
    stores.push(s)
    const alice = addEmployee(s, 'EMP001', 'Alice')
    const calls: {kind: string; punches: StoredPunch[]}[] = []
    const hook: PunchSubscriber = {
      name: 'spy',
      kinds: ['stored', 'removed'],
      handle: (_c, changes) => {
        if (changes.stored.length > 0) calls.push({kind: 'stored', punches: [...changes.stored]})
        if (changes.removed.length > 0) calls.push({kind: 'removed', punches: [...changes.removed]})
      },
    }
    const port = sqliteAttendStore(s, new GroupCommit(s, {subscribers: [hook]}))
    const added = await addManualPunch(port, {employeeCode: 'emp001', at: '2026-03-13 18:00', direction: 'OUT'}, NOW)
    expect(added).toMatchObject({employeeCode: 'EMP001', localTime: '2026-03-13 18:00:00', at: '2026-03-13T12:30:00.000Z', direction: 'out', manual: true})
    expect(calls[0]).toEqual({kind: 'stored', punches: [expect.objectContaining({id: added.id, employeeId: alice, source: 'manual'})]})

    await removeManualPunch(port, added.id, NOW)
    expect(calls[1]).toEqual({kind: 'removed', punches: [expect.objectContaining({id: added.id, employeeId: alice, instant: Date.parse('2026-03-13T12:30:00Z')})]})
    expect(countPunches(s)).toBe(0)
  })
})
