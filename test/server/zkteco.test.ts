import {eq} from 'drizzle-orm'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {devices, punches, refusedDevices} from '../../src/db/schema.js'
import {listDeviceUsers} from '../../src/store/sqlite/directory/device-users.js'
import {findDeviceBySerial, queueDeviceCommand} from '../../src/store/sqlite/devices.js'
import {updateDevice} from '../../src/devices/service.js'
import {FakeZkDevice} from './fake-zkteco.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const NOW = Date.UTC(2026, 2, 12, 15, 0, 0)

describe('ZKTeco push protocol (/iclock)', () => {
  let server: TestServer
  const rowsOf = (serial: string) => server.store.db.select().from(punches).where(eq(punches.deviceKey, serial)).orderBy(punches.instant).all()
  const deviceRow = (serial: string) => findDeviceBySerial(server.store, serial)!

  beforeAll(async () => {
    server = await startTestServer({timezone: 'Africa/Nairobi', now: () => NOW})
  })
  afterAll(async () => {
    await server.close()
  })

  it('runs a scripted device: handshake → ATTLOG (with a duplicate resend) → getrequest → devicecmd → ping', async () => {
    const {device} = createTestDevice(server.store, {serial: 'CDQ9192960002', name: 'Main gate'})
    const zk = new FakeZkDevice(server.url, 'CDQ9192960002')

    // Handshake: options for this serial, the site zone's offset (Nairobi UTC+3) and the server clock.
    const hs = await zk.handshake()
    expect(hs.status).toBe(200)
    expect(hs.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(hs.headers.get('date')).toBe(new Date(NOW).toUTCString())
    expect(hs.firstLine).toBe('GET OPTION FROM: CDQ9192960002')
    expect(hs.options).toMatchObject({
      ATTLOGStamp: 'None',
      Stamp: 'None',
      OPERLOGStamp: '9999',
      OpStamp: '9999',
      ATTPHOTOStamp: 'None',
      PhotoStamp: 'None',
      ErrorDelay: '30',
      Delay: '10',
      TransTimes: '00:00;14:05',
      TransInterval: '1',
      TransFlag: 'TransData AttLog\tOpLog\tEnrollUser\tChgUser',
      TimeZone: '3',
      Realtime: '1',
      Encrypt: 'None',
    })

    // ATTLOG: three punches acknowledged with exactly "OK: 3".
    zk.punch({pin: '1', time: '2026-03-12 08:05:00', status: 0, verify: 1}, {pin: '2', time: '2026-03-12 08:10:00', status: 0, verify: 15})
    zk.punch({pin: '1', time: '2026-03-12 17:01:00', status: 1, verify: 1})
    const first = await zk.uploadAttlog()
    expect(first.status).toBe(200)
    expect(first.text).toBe('OK: 3')
    expect(zk.pending).toHaveLength(0)

    // The device missed the reply and resends the same lines along with a new one: "OK: 4", one new row.
    zk.punch({pin: '1', time: '2026-03-12 08:05:00', status: 0, verify: 1}, {pin: '2', time: '2026-03-12 08:10:00', status: 0, verify: 15})
    zk.punch({pin: '1', time: '2026-03-12 17:01:00', status: 1, verify: 1}, {pin: '3', time: '2026-03-12 09:00:00', status: 0, verify: 4})
    const resend = await zk.uploadAttlog()
    expect(resend.text).toBe('OK: 4')

    const rows = rowsOf('CDQ9192960002')
    expect(rows.map((r) => [r.deviceUserId, new Date(r.instant).toISOString(), r.rawStatus, r.rawVerify])).toEqual([
      ['1', '2026-03-12T05:05:00.000Z', '0', '1'],
      ['2', '2026-03-12T05:10:00.000Z', '0', '15'],
      ['3', '2026-03-12T06:00:00.000Z', '0', '4'],
      ['1', '2026-03-12T14:01:00.000Z', '1', '1'],
    ])
    expect(rows.every((r) => r.deviceId === device.id && r.source === 'zkteco' && r.localTime !== null)).toBe(true)

    // Nothing queued: "OK". A queued command goes out once as C:<id>:<command> and is marked sent.
    expect((await zk.getRequest()).text).toBe('OK')
    const command = queueDeviceCommand(server.store, device.id, 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59', NOW)
    const poll = await zk.getRequest()
    expect(poll.text.trim()).toBe(`C:${command.id}:DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59`)
    expect((await server.app.attendStore.devices.commands(device.serial)).commands[0]).toMatchObject({status: 'sent', sentAt: NOW})
    expect((await zk.getRequest()).text).toBe('OK')

    // The device reports the result: the command is done with its return code.
    const result = await zk.reportResults(0)
    expect(result.status).toBe(200)
    expect(result.text).toBe('OK')
    expect((await server.app.attendStore.devices.commands(device.serial)).commands[0]).toMatchObject({status: 'done', returnCode: '0', doneAt: NOW})

    const ping = await zk.ping()
    expect([ping.status, ping.text]).toEqual([200, 'OK'])
    expect(deviceRow('CDQ9192960002').lastSeenAt).toBe(NOW)
  })

  it('sends the device its own zone: a punch from an Asia/Kolkata device lands at the right instant', async () => {
    createTestDevice(server.store, {serial: 'KOLKATA01', timezone: 'Asia/Kolkata'})
    const zk = new FakeZkDevice(server.url, 'KOLKATA01', 'text/plain')
    expect((await zk.handshake()).options.TimeZone).toBe('330')
    zk.punch({pin: '77', time: '2026-03-12 09:00:00'})
    expect((await zk.uploadAttlog()).text).toBe('OK: 1')
    // 09:00 IST (UTC+5:30) is 03:30 UTC, whatever the site zone (Nairobi) says.
    expect(rowsOf('KOLKATA01')[0]).toMatchObject({deviceUserId: '77', instant: Date.UTC(2026, 2, 12, 3, 30, 0)})
  })

  it('refuses an unknown serial (401) so the device keeps its records, and records the serial', async () => {
    const zk = new FakeZkDevice(server.url, 'NEWDEVICE9')
    const hs = await zk.handshake()
    expect(hs.status).toBe(401)
    expect(hs.text).toMatch(/^Unknown device NEWDEVICE9: register it with attend devices add --serial NEWDEVICE9\./)
    zk.punch({pin: '5', time: '2026-03-12 10:00:00'})
    expect((await zk.uploadAttlog()).status).toBe(401)
    expect(zk.pending).toHaveLength(1)
    const refused = server.store.db.select().from(refusedDevices).where(eq(refusedDevices.serial, 'NEWDEVICE9')).get()
    expect(refused).toMatchObject({attempts: 2, route: '/iclock/cdata'})

    // Once an admin registers it, the retried upload is stored.
    createTestDevice(server.store, {serial: 'NEWDEVICE9'})
    expect((await zk.uploadAttlog()).text).toBe('OK: 1')
    expect(zk.pending).toHaveLength(0)
    expect(rowsOf('NEWDEVICE9')).toHaveLength(1)
  })

  it('refuses an inactive device with 403 on every route', async () => {
    createTestDevice(server.store, {serial: 'RETIRED01'})
    await updateDevice(portOf(server.store), 'RETIRED01', {status: 'inactive'}, NOW)
    const zk = new FakeZkDevice(server.url, 'RETIRED01')
    zk.punch({pin: '5', time: '2026-03-12 10:00:00'})
    for (const reply of [await zk.handshake(), await zk.uploadAttlog(), await zk.getRequest(), await zk.ping()]) {
      expect(reply.status).toBe(403)
      expect(reply.text).toMatch(/^Device RETIRED01 is inactive/)
    }
    expect(zk.pending).toHaveLength(1)
    expect(rowsOf('RETIRED01')).toHaveLength(0)
  })

  it('needs the serial: 400 without SN, and accepts lower-case sn', async () => {
    const missing = await request(`${server.url}/iclock/cdata?options=all`)
    expect(missing.status).toBe(400)
    expect(missing.text).toMatch(/^Missing SN query parameter/)
    createTestDevice(server.store, {serial: 'LOWER01'})
    const lower = await request(`${server.url}/iclock/ping?sn=LOWER01`)
    expect([lower.status, lower.text]).toEqual([200, 'OK'])
  })

  it.each([
    ['no Content-Type', null],
    ['text/plain', 'text/plain'],
    ['form-urlencoded', 'application/x-www-form-urlencoded'],
    ['application/json', 'application/json'],
    ['application/octet-stream', 'application/octet-stream'],
  ])('reads the raw ATTLOG body whatever the Content-Type (%s)', async (_name, contentType) => {
    const serial = `CT${(contentType ?? 'none').replace(/[^a-z]/g, '').slice(0, 20)}`
    createTestDevice(server.store, {serial})
    const zk = new FakeZkDevice(server.url, serial, contentType)
    zk.punch({pin: '10', time: '2026-03-12 07:59:00'}, {pin: '11', time: '2026-03-12 08:00:00'})
    expect((await zk.uploadAttlog()).text).toBe('OK: 2')
    expect(rowsOf(serial)).toHaveLength(2)
  })

  it('acknowledges an unreadable ATTLOG line (a resend could never fix it) and stores the good ones', async () => {
    createTestDevice(server.store, {serial: 'MIXED01'})
    const zk = new FakeZkDevice(server.url, 'MIXED01')
    const body = '1\t2026-03-12 08:00:00\t0\t1\t\t0\t0\r\ngarbage line\r\n\r\n2\t2026-13-45 08:00:00\t0\t1\r\n3\t2026-03-12 08:02:00\r\n'
    const reply = await zk.send('POST', '/iclock/cdata?SN=MIXED01&table=ATTLOG&Stamp=1', body)
    expect(reply.text).toBe('OK: 4')
    expect(rowsOf('MIXED01').map((r) => r.deviceUserId)).toEqual(['1', '3'])
  })

  it('applies the device state map to ATTLOG status codes', async () => {
    const {device} = createTestDevice(server.store, {serial: 'MAPPED01'})
    server.store.db.update(devices).set({stateMap: JSON.stringify({'0': 'in', '1': 'out'})}).where(eq(devices.id, device.id)).run()
    const zk = new FakeZkDevice(server.url, 'MAPPED01')
    zk.punch({pin: '1', time: '2026-03-12 08:00:00', status: 0}, {pin: '1', time: '2026-03-12 17:00:00', status: 1}, {pin: '1', time: '2026-03-12 12:00:00', status: 2})
    expect((await zk.uploadAttlog()).text).toBe('OK: 3')
    expect(rowsOf('MAPPED01').map((r) => r.direction)).toEqual(['in', null, 'out'])
  })

  it('stores OPERLOG USER lines as device users and counts every other line', async () => {
    const {device} = createTestDevice(server.store, {serial: 'USERS01'})
    const zk = new FakeZkDevice(server.url, 'USERS01')
    const reply = await zk.uploadOperlog([
      'OPLOG 4\t0\t2026-03-12 08:00:00\t0\t0\t0\t0',
      'USER PIN=1\tName=Ann Otieno\tPri=0\tPasswd=\tCard=[0001234567]\tGrp=1\tTZ=0000000100000000\tVerify=0',
      'USER PIN=2\tName=Brian Mwangi\tPri=14\tPasswd=123\tCard=\tGrp=1',
      'FP PIN=1\tFID=6\tSize=1024\tValid=1\tTMP=ocosgoulTUEdNKVRwRQ0...',
      'FACE PIN=2\tFID=0\tSIZE=2048\tVALID=1\tTMP=AAAA',
      'USER PIN=2\tName=Brian K. Mwangi\tPri=14\tCard=0',
    ])
    expect(reply.text).toBe('OK: 6')
    expect(listDeviceUsers(server.store, {deviceId: device.id}).map(({deviceUserId, name, privilege, card}) => ({deviceUserId, name, privilege, card}))).toEqual([
      {deviceUserId: '1', name: 'Ann Otieno', privilege: '0', card: '0001234567'},
      {deviceUserId: '2', name: 'Brian K. Mwangi', privilege: '14', card: null},
    ])

    // A later upload updates the stored user rather than adding one.
    expect((await zk.uploadOperlog(['USER PIN=1\tName=Ann W. Otieno\tPri=0'])).text).toBe('OK: 1')
    expect(listDeviceUsers(server.store, {deviceId: device.id}).map((u) => u.name)).toEqual(['Ann W. Otieno', 'Brian K. Mwangi'])
  })

  it('stores table=options in the device record and answers OK', async () => {
    createTestDevice(server.store, {serial: 'OPTS01'})
    const zk = new FakeZkDevice(server.url, 'OPTS01')
    const reply = await zk.uploadOptions('~DeviceName=SpeedFace-V5L,MAC=00:17:61:12:34:56,TransactionCount=42,FWVersion=Ver 8.0.4.2-20220610')
    expect([reply.status, reply.text]).toEqual([200, 'OK'])
    // The `~` marking a read-only capability is not part of the key.
    expect(JSON.parse(deviceRow('OPTS01').options!)).toEqual({
      DeviceName: 'SpeedFace-V5L',
      MAC: '00:17:61:12:34:56',
      TransactionCount: '42',
      FWVersion: 'Ver 8.0.4.2-20220610',
    })
  })

  it('acknowledges tables it does not keep and refuses a POST without table', async () => {
    createTestDevice(server.store, {serial: 'PHOTO01'})
    const zk = new FakeZkDevice(server.url, 'PHOTO01')
    expect((await zk.send('POST', '/iclock/cdata?SN=PHOTO01&table=ATTPHOTO&Stamp=1', 'PIN=1\nSN=PHOTO01\nsize=3\nCMD=uploadphoto\n\u00ff\u00d8\u00ff')).text).toBe('OK')
    const none = await zk.send('POST', '/iclock/cdata?SN=PHOTO01', '1\t2026-03-12 08:00:00')
    expect(none.status).toBe(400)
    expect(none.text).toMatch(/^Missing table query parameter/)
  })

  it('closes only the reporting device\'s commands and marks negative return codes failed', async () => {
    const a = createTestDevice(server.store, {serial: 'CMDA01'}).device
    const b = createTestDevice(server.store, {serial: 'CMDB01'}).device
    const forA = queueDeviceCommand(server.store, a.id, 'INFO', NOW)
    const forB = queueDeviceCommand(server.store, b.id, 'REBOOT', NOW)
    const zkB = new FakeZkDevice(server.url, 'CMDB01')
    expect((await zkB.getRequest()).text.trim()).toBe(`C:${forB.id}:REBOOT`)
    // B answers its own command with an error and tries to close A's.
    const body = `ID=${forB.id}&Return=-1002&CMD=REBOOT\nID=${forA.id}&Return=0&CMD=INFO\n`
    expect((await zkB.send('POST', '/iclock/devicecmd?SN=CMDB01', body)).text).toBe('OK')
    expect((await server.app.attendStore.devices.commands(b.serial)).commands[0]).toMatchObject({status: 'failed', returnCode: '-1002'})
    expect((await server.app.attendStore.devices.commands(a.serial)).commands[0]).toMatchObject({status: 'queued', returnCode: null})
  })

  it('answers an oversize upload with 413 in plain text (the device keeps its records)', async () => {
    const small = await startTestServer({iclockBodyLimit: 256, now: () => NOW})
    try {
      createTestDevice(small.store, {serial: 'BIG01'})
      const zk = new FakeZkDevice(small.url, 'BIG01')
      for (let i = 0; i < 20; i++) zk.punch({pin: String(i), time: '2026-03-12 08:00:00'})
      const reply = await zk.uploadAttlog()
      expect(reply.status).toBe(413)
      expect(reply.text).toMatch(/larger than the limit of 256 bytes/)
      expect(zk.pending).toHaveLength(20)
    } finally {
      await small.close()
    }
  })
})
