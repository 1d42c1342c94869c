import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {queueDeviceCommand} from '../../src/store/sqlite/devices.js'
import {createTestDevice, createTestKey, postJson, request, startTestServer, type TestServer} from './helpers.js'

const TABLES = ['punches', 'attendance_days', 'devices', 'device_users', 'device_commands', 'refused_devices', 'api_keys', 'employees']

/**
 * Every write `attend serve` makes goes through group commit (src/store/sqlite/group-commit.ts): the
 * server's own connection reports each row written, and the test checks it happened inside a job.
 */
describe('every server write goes through group commit', () => {
  let server: TestServer
  let key: string
  let token: string
  let deviceId: number
  let insideJob = 0
  const outside: string[] = []
  const jobs: number[] = []

  beforeAll(async () => {
    server = await startTestServer()
    key = createTestKey(server.store, {scopes: ['admin']}).key
    const created = createTestDevice(server.store, {serial: 'WRITES01'})
    token = created.token
    deviceId = created.device.id
    const sqlite = server.store.sqlite
    sqlite.function('note_write', (table: unknown) => {
      if (insideJob === 0) outside.push(String(table))
      return null
    })
    for (const table of TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        sqlite.exec(`CREATE TEMP TRIGGER watch_${table}_${event.toLowerCase()} AFTER ${event} ON main.${table} BEGIN SELECT note_write('${table} ${event}'); END`)
      }
    }
    const writes = server.writes
    const run = writes.run.bind(writes)
    writes.run = (work) => {
      jobs.push(1)
      return run((unit) => {
        insideJob++
        try {
          return work(unit)
        } finally {
          insideJob--
        }
      })
    }
  })
  afterAll(async () => {
    await server.close()
  })

  const expectInsideJobs = async (what: string, call: () => Promise<unknown>) => {
    const before = jobs.length
    await call()
    // Deferred writes (last seen, key use) run in the group after the answer: let it flush.
    await new Promise((resolve) => setImmediate(resolve))
    expect(jobs.length, what).toBeGreaterThan(before)
    expect(outside, what).toEqual([])
  }

  it('device families: seen marks, device users, options, the command queue, refused serials', async () => {
    await expectInsideJobs('heartbeat', () => request(`${server.url}/api/attendance/v1/heartbeat`, {headers: {sn: 'WRITES01', 'auth-token': token}}))
    await expectInsideJobs('OPERLOG users', () => request(`${server.url}/iclock/cdata?SN=WRITES01&table=OPERLOG`, {method: 'POST', body: 'USER PIN=1\tName=Ann\r\n'}))
    await expectInsideJobs('options', () => request(`${server.url}/iclock/cdata?SN=WRITES01&table=options`, {method: 'POST', body: '~DeviceName=K40'}))
    // An admin queues a command (as the CLI would, on its own connection): not a server write.
    insideJob++
    queueDeviceCommand(server.store, deviceId, 'INFO', Date.now())
    insideJob--
    await expectInsideJobs('getrequest', () => request(`${server.url}/iclock/getrequest?SN=WRITES01`))
    await expectInsideJobs('devicecmd', () => request(`${server.url}/iclock/devicecmd?SN=WRITES01`, {method: 'POST', body: 'ID=1&Return=0&CMD=INFO'}))
    await expectInsideJobs('refused serial', () => request(`${server.url}/iclock/cdata?SN=NOBODY01&options=all`))
    await expectInsideJobs('punches', () => request(`${server.url}/iclock/cdata?SN=WRITES01&table=ATTLOG`, {method: 'POST', body: '1\t2025-03-12 08:00:00\r\n'}))
  })

  it('API-key families: the key\'s last use, device_info, punches, new users', async () => {
    await expectInsideJobs('worker attendance', () =>
      postJson(`${server.url}/api/biometric/attendance`, {device_info: {device_id: 'WRITES02'}, events: [{scanId: 'W-1', employeeId: 'EMP1', eventType: 'check_in', timestamp: '2025-03-12T08:00:00Z'}]}, {'x-api-key': key}),
    )
    await expectInsideJobs('v1 users', () => postJson(`${server.url}/v1/users`, {name: 'Ann Writes', email: 'ann@example.com', phone: '+254700000000'}, {authorization: `Bearer ${key}`}))
  })
})
