import {afterEach, describe, expect, it} from 'vitest'

import type {PunchSubscriber, ReassignedPunch} from '../../src/punches/events.js'
import {ingestPunches} from '../../src/store/sqlite/ingest/pipeline.js'
import {reresolvePunches} from '../../src/store/sqlite/ingest/reresolve.js'
import {parseTimestamp} from '../../src/time/parse.js'
import {testStore} from '../helpers/store.js'
import {addDevice, addEmployee, addMapping} from './seed.js'

const stores: Array<{cleanup: () => void}> = []
afterEach(() => stores.splice(0).forEach((s) => s.cleanup()))
const NOW = Date.parse('2026-03-12T12:00:00Z')

describe('reresolvePunches', () => {
  it('moves the punches of a newly mapped device user and publishes them as reassigned, naming whose days lost them', () => {
    const s = testStore()
    stores.push(s)
    const dev = addDevice(s, 'ZK01')
    const p = (user: string, serial: string) => ({deviceUserId: user, deviceSerial: serial, time: parseTimestamp('2026-03-12 08:00'), timeText: '2026-03-12 08:00'})
    ingestPunches(s, [p('7', 'ZK01'), p('7', 'ZK02'), p('8', 'ZK01'), {...p('7', 'ZK01'), manual: true, time: parseTimestamp('2026-03-12 09:00')}], {source: 'test', now: NOW}, [])
    const alice = addEmployee(s, 'EMP001')
    addMapping(s, '7', alice, dev)

    const calls: ReassignedPunch[][] = []
    const hook: PunchSubscriber = {name: 'spy', kinds: ['reassigned'], handle: (_c, changes) => void calls.push([...changes.reassigned])}
    expect(reresolvePunches(s, [{deviceUserId: '7', deviceId: dev}], NOW, [hook])).toEqual({updated: 1})
    expect(calls[0]).toEqual([expect.objectContaining({deviceKey: 'ZK01', deviceUserId: '7', employeeId: alice, previousEmployeeId: null})])

    // A global mapping reaches the other device; running again changes nothing.
    const bob = addEmployee(s, 'EMP002')
    addMapping(s, '7', bob, null)
    expect(reresolvePunches(s, [{deviceUserId: '7', deviceId: null}], NOW, [hook])).toEqual({updated: 1})
    expect(reresolvePunches(s, [{deviceUserId: '7', deviceId: null}], NOW, [hook])).toEqual({updated: 0})
    const owners = s.sqlite.prepare(`SELECT device_key AS k, employee_id AS e FROM punches WHERE device_user_id = '7' AND manual = 0 ORDER BY device_key`).all()
    expect(owners).toEqual([{k: 'ZK01', e: alice}, {k: 'ZK02', e: bob}])
  })

  it('re-resolves punches stored before their device was registered', () => {
    const s = testStore()
    stores.push(s)
    ingestPunches(s, [{deviceUserId: '5', deviceSerial: 'LATE', time: parseTimestamp('2026-03-12 08:00'), timeText: 'x'}], {source: 'test', now: NOW}, [])
    const dev = addDevice(s, 'LATE')
    const alice = addEmployee(s, 'EMP001')
    addMapping(s, '5', alice, dev)
    expect(reresolvePunches(s, [{deviceUserId: '5', deviceId: dev}], NOW, [])).toEqual({updated: 1})
    expect(s.sqlite.prepare('SELECT device_id AS d, employee_id AS e FROM punches').get()).toEqual({d: dev, e: alice})
  })
})
