import {afterEach, describe, expect, it} from 'vitest'

import type {PunchSubscriber} from '../../src/punches/events.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {addManualPunch, listPunches, removeManualPunch} from '../../src/punches/service.js'
import type {StoredPunch} from '../../src/punches/types.js'
import {testStore, unopenedPort} from '../helpers/store.js'
import {addEmployee, countPunches} from './seed.js'

const stores: Array<{cleanup: () => void}> = []
afterEach(() => stores.splice(0).forEach((s) => s.cleanup()))
const NOW = Date.parse('2026-03-14T10:00:00Z')

describe('manual punches', () => {
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

  it('validates before opening the store', async () => {
    await expect(addManualPunch(unopenedPort(), {employeeCode: 'E', at: '2026-03-13'}, NOW)).rejects.toThrow('Invalid --at "2026-03-13"')
    await expect(addManualPunch(unopenedPort(), {employeeCode: 'E', at: '2026-03-13 08:00', direction: 'up'}, NOW)).rejects.toThrow('Invalid --direction "up": expected in or out.')
    await expect(listPunches(unopenedPort(), {from: '2026-03-14', to: '2026-03-13'})).rejects.toThrow('--to 2026-03-13 is before --from 2026-03-14: the end of the period must not come before its start.')
    await expect(listPunches(unopenedPort(), {limit: 0})).rejects.toThrow('Invalid --limit 0')
    await expect(removeManualPunch(unopenedPort(), 0, NOW)).rejects.toThrow('Invalid punch id "0"')
  })
})
