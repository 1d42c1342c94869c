import fs from 'node:fs'
import {eq} from 'drizzle-orm'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {punches} from '../../src/db/schema.js'
import {listDeviceUsers} from '../../src/store/sqlite/directory/device-users.js'
import {findDeviceBySerial} from '../../src/store/sqlite/devices.js'
import {updateDevice} from '../../src/devices/service.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const NOW = Date.UTC(2024, 8, 17, 18, 0, 0)
const SERIAL = 'ZHM1140012'
const STGID = 'ST-4FJ2K9'
// Seed 003's batch exactly as written: no AuthToken anywhere.
const batchSeed = fs.readFileSync(new URL('../fixtures/cams-punchlog.json', import.meta.url), 'utf8')

/** A CAMS gateway as configured in the field: it names the device by its service tag id (`?stgid=`). */
describe('CAMS gateway callbacks by service tag id', () => {
  let server: TestServer
  let token: string
  const callback = (body: unknown, query = `?stgid=${STGID}`) =>
    request(`${server.url}/api/cams/callback${query}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: typeof body === 'string' ? body : JSON.stringify(body)})
  const rows = () => server.store.db.select().from(punches).where(eq(punches.deviceKey, SERIAL)).orderBy(punches.instant).all()
  const users = () => listDeviceUsers(server.store, {deviceId: findDeviceBySerial(server.store, SERIAL)!.id})

  beforeAll(async () => {
    server = await startTestServer({timezone: 'UTC', now: () => NOW})
    token = createTestDevice(server.store, {serial: SERIAL, name: 'Gate (CAMS)'}).token
    await updateDevice(portOf(server.store), SERIAL, {camsStgid: STGID}, NOW)
  })
  beforeEach(() => {
    server.store.db.delete(punches).run()
  })
  afterAll(async () => {
    await server.close()
  })

  it('accepts the seed PunchLog batch as written (no AuthToken) for the device its stgid names', async () => {
    const res = await callback(batchSeed)
    expect([res.status, res.text]).toEqual([200, '{"status":"done"}'])
    expect(rows().map((r) => [r.deviceUserId, new Date(r.instant).toISOString()])).toEqual([
      ['EMP-0001', '2024-09-17T05:00:00.000Z'],
      ['EMP-0002', '2024-09-17T05:15:00.000Z'],
      ['EMP-0001', '2024-09-17T14:30:00.000Z'],
    ])
  })

  it('still refuses a stgid nobody registered, and a wrong token sent with a registered one', async () => {
    expect((await callback(batchSeed, '?stgid=ST-UNKNOWN')).body).toEqual({status: 'error', message: 'Invalid auth token'})
    expect((await callback({...JSON.parse(batchSeed), AuthToken: 'wrong'})).body).toEqual({status: 'error', message: 'Invalid auth token'})
    expect((await callback({...JSON.parse(batchSeed), AuthToken: token})).body).toEqual({status: 'done'})
  })

  it('accepts a single-object Log, as attend import does', async () => {
    const res = await callback({PunchLog: {ReturnRowCount: '1', Log: {Type: 'CheckIn', UserID: 'EMP-0009', LogTime: '2024-09-17 09:00:00 GMT +0300'}}})
    expect(res.body).toEqual({status: 'done'})
    expect(rows().map((r) => r.deviceUserId)).toEqual(['EMP-0009'])
  })

  it('lists the rows it refused — an impossible offset, a punch beyond the future margin — and stores the rest, still done', async () => {
    const res = await callback({
      PunchLog: {
        Log: [
          {Type: 'CheckIn', UserID: 'EMP-0001', LogTime: '2024-09-17 08:00:00 GMT +0300'},
          {Type: 'CheckIn', UserID: 'EMP-0002', LogTime: '2024-09-17 08:00:00 GMT +9999'},
          {Type: 'CheckIn', UserID: 'EMP-0003', LogTime: '2024-09-20 08:00:00 GMT +0300'},
        ],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      status: 'done',
      rejected: [
        {index: 1, reason: 'PunchLog.Log[1]: Log[1].LogTime "2024-09-17 08:00:00 GMT +9999": the UTC offset +9999 is not an offset (minutes above 59).'},
        {index: 2, reason: 'PunchLog.Log[2]: The punch time "2024-09-20 08:00:00 GMT +0300" is 2 days in the future, beyond the future margin of 1d (attend config set future-margin).'},
      ],
    })
    expect(rows().map((r) => r.deviceUserId)).toEqual(['EMP-0001'])
  })

  it('answers Add/Delete User callbacks done and keeps the users as device users; a RealTime UserUpdated too', async () => {
    const add = await callback({Add: {User: {UserID: '1', FirstName: 'Manu', LastName: 'Mona', UserType: 'User'}}, OperationID: '1jxpjeoasu8wl', Time: '2024-09-17 11:09:09 GMT +0530'})
    expect([add.status, add.body]).toEqual([200, {status: 'done'}])
    const updated = await callback({RealTime: {UserUpdated: {UserID: 2, FirstName: 'ALOK SINGH', LastName: '', UserType: 'Admin'}, OperationID: 'c3e4', AuthToken: token, Time: null}})
    expect(updated.body).toEqual({status: 'done'})
    expect(users().map((u) => [u.deviceUserId, u.name, u.privilege])).toEqual([['1', 'Manu Mona', 'User'], ['2', 'ALOK SINGH', 'Admin']])

    const remove = await callback({Delete: {User: {UserID: '1'}}, OperationID: '1jxpjeoasu8wm', Time: '2024-09-17 11:10:09 GMT +0530'})
    expect(remove.body).toEqual({status: 'done'})
    expect(users().map((u) => u.deviceUserId)).toEqual(['2'])

    const bad = await callback({Add: {User: {FirstName: 'No id'}}})
    expect([bad.status, bad.body]).toEqual([200, {status: 'error', message: "Add.User.UserID is missing: expected the user's id on the device."}])
  })

  it('can be pinned to the gateway\'s addresses: from elsewhere the stgid alone is not enough', async () => {
    await updateDevice(portOf(server.store), SERIAL, {allowFrom: '203.0.113.0/28'}, NOW)
    try {
      const res = await callback(batchSeed)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({status: 'error', message: `Device ${SERIAL} may not connect from 127.0.0.1: it is allowed only from 203.0.113.0/28 (attend devices update ${SERIAL} --allow-from).`})
      expect(rows()).toHaveLength(0)
    } finally {
      await updateDevice(portOf(server.store), SERIAL, {allowFrom: 'none'}, NOW)
    }
  })
})
