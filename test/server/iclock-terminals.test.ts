import {eq} from 'drizzle-orm'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import zlib from 'node:zlib'

import {deviceCommands, devices, punches} from '../../src/db/schema.js'
import {listDeviceUsers} from '../../src/store/sqlite/directory/device-users.js'
import {queueDeviceCommand, findDeviceBySerial} from '../../src/store/sqlite/devices.js'
import {updateDevice} from '../../src/devices/service.js'
import {zktecoPackedTime} from '../../src/server/zkteco/timezone.js'
import {FakeZkDevice} from './fake-zkteco.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'
import {portOf} from '../helpers/store.js'

const NOW = Date.UTC(2026, 2, 12, 15, 0, 0)

/** Terminals as they behave in the field (PUSH 2.x and 3.x firmware), against a real server. */
describe('ZKTeco push protocol: real terminals', () => {
  let server: TestServer
  const rowsOf = (serial: string) => server.store.db.select().from(punches).where(eq(punches.deviceKey, serial)).orderBy(punches.instant).all()
  const usersOf = (serial: string) => listDeviceUsers(server.store, {deviceId: findDeviceBySerial(server.store, serial)!.id})
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) => request(`${server.url}${path}`, {method: 'POST', headers, body})

  beforeAll(async () => {
    server = await startTestServer({timezone: 'Africa/Nairobi', now: () => NOW})
  })
  afterAll(async () => {
    await server.close()
  })

  it('stores table=USERINFO lines (the answer to devices queue --users) as device users', async () => {
    createTestDevice(server.store, {serial: 'UINFO01'})
    const reply = await post('/iclock/cdata?SN=UINFO01&table=USERINFO', 'PIN=5\tName=Five Otieno\tPrivilege=0\tCard=1234567\r\nPIN=6\tName=Six\tPrivilege=14\tCard=\r\n')
    expect([reply.status, reply.text]).toEqual([200, 'OK: 2'])
    expect(usersOf('UINFO01').map((u) => [u.deviceUserId, u.name, u.privilege, u.card])).toEqual([
      ['5', 'Five Otieno', '0', '1234567'],
      ['6', 'Six', '14', null],
    ])
  })

  it('stores the key=value ATTLOG layout', async () => {
    createTestDevice(server.store, {serial: 'KV01'})
    const body = 'PIN=90\tDateTime=2026-03-12 08:05:00\tVerified=1\tStatus=0\r\nPIN=91\tDateTime=2026-03-12 08:06:00\tVerified=15\tStatus=1\r\n'
    const reply = await post('/iclock/cdata?SN=KV01&table=ATTLOG&Stamp=77', body)
    expect(reply.text).toBe('OK: 2')
    expect(rowsOf('KV01').map((r) => [r.deviceUserId, new Date(r.instant).toISOString(), r.rawStatus, r.rawVerify])).toEqual([
      ['90', '2026-03-12T05:05:00.000Z', '0', '1'],
      ['91', '2026-03-12T05:06:00.000Z', '1', '15'],
    ])
  })

  it('hands back the Stamp of the last stored upload in the handshake, so a restarted terminal does not re-upload its log', async () => {
    createTestDevice(server.store, {serial: 'STAMP01'})
    const zk = new FakeZkDevice(server.url, 'STAMP01')
    expect((await zk.handshake()).options).toMatchObject({ATTLOGStamp: 'None', Stamp: 'None', OPERLOGStamp: '9999', OpStamp: '9999'})
    zk.punch({pin: '1', time: '2026-03-12 08:00:00'})
    expect((await zk.uploadAttlog(1741766400)).text).toBe('OK: 1')
    expect((await post('/iclock/cdata?SN=STAMP01&table=OPERLOG&OpStamp=1741766500', 'USER PIN=1\tName=A\r\n')).text).toBe('OK: 1')
    expect((await zk.handshake()).options).toMatchObject({ATTLOGStamp: '1741766400', Stamp: '1741766400', OPERLOGStamp: '1741766500', OpStamp: '1741766500'})
    // A stamp that is not a number is not remembered.
    await post('/iclock/cdata?SN=STAMP01&table=ATTLOG&Stamp=abc', '1\t2026-03-12 08:01:00\r\n')
    expect((await zk.handshake()).options.ATTLOGStamp).toBe('1741766400')
  })

  it('replaces the options a device reported before instead of merging them', async () => {
    createTestDevice(server.store, {serial: 'OPTS02'})
    const zk = new FakeZkDevice(server.url, 'OPTS02')
    await zk.uploadOptions('~DeviceName=K40,FWVersion=Ver 6.60,UserCount=12')
    await zk.uploadOptions('~DeviceName=K40 Pro,AttLogCount=3')
    expect(JSON.parse(findDeviceBySerial(server.store, 'OPTS02')!.options!)).toEqual({DeviceName: 'K40 Pro', AttLogCount: '3'})
  })

  it('records a multi-line devicecmd result (negative = failed, with its content) and a result sent in the query string', async () => {
    const {device} = createTestDevice(server.store, {serial: 'CMD01'})
    const shell = queueDeviceCommand(server.store, device.id, 'Shell ls /mnt', NOW)
    const check = queueDeviceCommand(server.store, device.id, 'CHECK', NOW)
    const zk = new FakeZkDevice(server.url, 'CMD01')
    await zk.getRequest()
    const multi = await post('/iclock/devicecmd?SN=CMD01', `ID=${shell.id}\r\nReturn=-1\r\nCMD=Shell\r\nContent=ls: /mnt: No such file or directory\r\n`)
    expect(multi.text).toBe('OK')
    const inQuery = await post(`/iclock/devicecmd?SN=CMD01&ID=${check.id}&Return=0&CMD=CHECK`, '')
    expect(inQuery.text).toBe('OK')
    const rows = server.store.db.select().from(deviceCommands).where(eq(deviceCommands.deviceId, device.id)).orderBy(deviceCommands.id).all()
    expect(rows.map((r) => [r.status, r.returnCode, r.result])).toEqual([
      ['failed', '-1', 'ls: /mnt: No such file or directory'],
      ['done', '0', null],
    ])
  })

  describe('PUSH 3.x firmware', () => {
    beforeAll(() => {
      createTestDevice(server.store, {serial: 'PUSH3A'})
    })

    it('registry: stores the capabilities and answers a registry code', async () => {
      const reply = await post('/iclock/registry?SN=PUSH3A', '~DeviceName=SpeedFace-V5L,~SerialNumber=PUSH3A,FirmVer=ZAM180-NF-Ver1.1.17,PushVersion=3.1.2')
      expect(reply.status).toBe(200)
      expect(reply.text).toMatch(/^RegistryCode=attend\d{6}$/)
      expect(JSON.parse(findDeviceBySerial(server.store, 'PUSH3A')!.options!)).toMatchObject({DeviceName: 'SpeedFace-V5L', FirmVer: 'ZAM180-NF-Ver1.1.17'})
    })

    it('push: the transfer settings with the device zone', async () => {
      const reply = await request(`${server.url}/iclock/push?SN=PUSH3A`)
      expect(reply.status).toBe(200)
      expect(reply.text).toContain('PushVersion=3.1.2\n')
      expect(reply.text).toContain('TransTables=User Transaction\n')
      expect(reply.text).toContain('TimeZone=3\n')
    })

    it('rtdata?type=time: the server clock (packed, UTC) and the zone offset', async () => {
      const reply = await request(`${server.url}/iclock/rtdata?SN=PUSH3A&type=time`)
      expect([reply.status, reply.text]).toEqual([200, `DateTime=${zktecoPackedTime(NOW)},ServerTZ=+0300`])
      expect(reply.headers.get('content-type')).toMatch(/^text\/plain/)
    })

    it('querydata: options are stored, the user table is stored and acknowledged user=N', async () => {
      expect((await post('/iclock/querydata?SN=PUSH3A&type=options&cmdid=7', '~DeviceName=SpeedFace-V5L,UserCount=2')).text).toBe('OK')
      const users = 'user uid=1\tcardno=0\tpin=501\tpassword=\tgroup=1\tstarttime=0\tendtime=0\tname=Ann\tprivilege=0\tdisable=0\tverify=0\r\nuser uid=2\tcardno=88\tpin=502\tpassword=\tgroup=1\tstarttime=0\tendtime=0\tname=Ben\tprivilege=14\tdisable=0\tverify=0\r\n'
      const reply = await post('/iclock/querydata?SN=PUSH3A&type=tabledata&cmdid=8&tablename=user&count=2&packcnt=1&packidx=1', users)
      expect(reply.text).toBe('user=2')
      expect(usersOf('PUSH3A').map((u) => [u.deviceUserId, u.name])).toEqual([['501', 'Ann'], ['502', 'Ben']])
    })

    it('cdata table=tabledata&tablename=user&count=N is answered user=N', async () => {
      const reply = await post('/iclock/cdata?SN=PUSH3A&table=tabledata&tablename=user&count=1', 'user uid=3\tpin=503\tname=Cyd\tprivilege=0\r\n')
      expect(reply.text).toBe('user=1')
      expect(usersOf('PUSH3A').map((u) => u.deviceUserId)).toContain('503')
      expect((await post('/iclock/cdata?SN=PUSH3A&table=tabledata&tablename=biophoto&count=1', 'biophoto pin=503\tContent=AAAA\r\n')).text).toBe('biophoto=1')
    })

    it('table=rtlog: verified people are stored as punches; door and refused events are not', async () => {
      const body = [
        'time=2026-03-12 08:05:00\tpin=503\tcardno=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=15\tindex=1',
        'time=2026-03-12 08:06:00\tpin=504\tcardno=0\teventaddr=1\tevent=27\tinoutstatus=0\tverifytype=15\tindex=2',
        'time=2026-03-12 08:07:00\tpin=0\tcardno=0\teventaddr=1\tevent=206\tinoutstatus=2\tverifytype=200\tindex=3',
      ].join('\r\n')
      expect((await post('/iclock/cdata?SN=PUSH3A&table=rtlog', body)).text).toBe('OK')
      expect(rowsOf('PUSH3A').map((r) => [r.deviceUserId, new Date(r.instant).toISOString(), r.rawVerify])).toEqual([['503', '2026-03-12T05:05:00.000Z', '15']])
    })
  })

  describe('big uploads', () => {
    it('accepts a 1.2 MB template upload instead of refusing it with 413', async () => {
      createTestDevice(server.store, {serial: 'BIO01'})
      const template = `BIODATA Pin=1\tNo=0\tIndex=0\tValid=1\tDuress=0\tType=9\tMajorVer=39\tMinorVer=1\tFormat=0\tTmp=${'A'.repeat(1_200_000)}\r\n`
      const reply = await post('/iclock/cdata?SN=BIO01&table=BIODATA', template)
      expect([reply.status, reply.text]).toEqual([200, 'OK'])
    })

    it('stores a 40 000-line ATTLOG backlog, and serves other requests while it does', async () => {
      createTestDevice(server.store, {serial: 'BACKLOG01'})
      const lines: string[] = []
      for (let i = 0; i < 40_000; i++) {
        const minute = i % 1440
        lines.push(`${1 + (i % 200)}\t2026-02-${String(1 + Math.floor(i / 1440)).padStart(2, '0')} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}\t0\t1\t\t0\t0`)
      }
      const order: string[] = []
      const writes = server.writes
      const run = writes.run.bind(writes)
      let health: Promise<void> | undefined
      writes.run = (work) => {
        // Once the upload is being stored, another client asks for /health.
        health ??= request(`${server.url}/health`).then((res) => void order.push(`health ${res.status}`))
        return run(work)
      }
      try {
        const upload = post('/iclock/cdata?SN=BACKLOG01&table=ATTLOG&Stamp=1', lines.join('\r\n')).then((res) => {
          order.push(`attlog ${res.text}`)
        })
        await upload
        await health
      } finally {
        writes.run = run
      }
      expect(order).toEqual(['health 200', 'attlog OK: 40000'])
      expect(rowsOf('BACKLOG01')).toHaveLength(40_000)
    })
  })

  describe('compressed bodies', () => {
    const attlog = '1\t2026-03-12 09:00:00\t0\t1\t\t0\t0\r\n2\t2026-03-12 09:01:00\t0\t1\t\t0\t0\r\n'

    it.each([
      ['gzip', zlib.gzipSync(attlog)],
      ['deflate', zlib.deflateSync(attlog)],
      ['br', zlib.brotliCompressSync(attlog)],
    ])('decodes a %s ATTLOG and stores it before answering', async (encoding, body) => {
      const serial = `ZIP${encoding.toUpperCase()}`
      createTestDevice(server.store, {serial})
      const reply = await post(`/iclock/cdata?SN=${serial}&table=ATTLOG&Stamp=1`, body, {'content-encoding': encoding})
      expect([reply.status, reply.text]).toEqual([200, 'OK: 2'])
      expect(rowsOf(serial).map((r) => r.deviceUserId)).toEqual(['1', '2'])
    })

    it('refuses an encoding it cannot read, a broken body and binary without an encoding: nothing acknowledged unread', async () => {
      createTestDevice(server.store, {serial: 'ZIPBAD'})
      const unknown = await post('/iclock/cdata?SN=ZIPBAD&table=ATTLOG', zlib.gzipSync(attlog), {'content-encoding': 'compress'})
      expect([unknown.status, unknown.text]).toEqual([415, 'Unsupported Content-Encoding "compress": send the body uncompressed, or as gzip, deflate or br.\n'])
      const broken = await post('/iclock/cdata?SN=ZIPBAD&table=ATTLOG', Buffer.from('not gzip at all'), {'content-encoding': 'gzip'})
      expect(broken.status).toBe(400)
      expect(broken.text).toMatch(/^The gzip body could not be decoded/)
      const unlabelled = await post('/iclock/cdata?SN=ZIPBAD&table=ATTLOG', zlib.gzipSync(attlog))
      expect(unlabelled.status).toBe(400)
      expect(unlabelled.text).toMatch(/^The body is binary/)
      expect(rowsOf('ZIPBAD')).toHaveLength(0)
    })

    it('stops a zip bomb at the body limit once decoded (413)', async () => {
      createTestDevice(server.store, {serial: 'ZIPBOMB'})
      const bomb = zlib.gzipSync(Buffer.alloc(11 * 1024 * 1024, 'a'))
      expect(bomb.length).toBeLessThan(64 * 1024)
      const reply = await post('/iclock/cdata?SN=ZIPBOMB&table=ATTLOG', bomb, {'content-encoding': 'gzip'})
      expect(reply.status).toBe(413)
      expect(reply.text).toBe('The request body is larger than the limit of 10485760 bytes once decoded.\n')
    })
  })

  it('lets a terminal with an allow-list in only from its addresses', async () => {
    createTestDevice(server.store, {serial: 'FENCED01'})
    await updateDevice(portOf(server.store), 'FENCED01', {allowFrom: '10.9.9.0/24'}, NOW)
    const refused = await request(`${server.url}/iclock/cdata?SN=FENCED01&options=all`)
    expect(refused.status).toBe(403)
    expect(refused.text).toBe('Device FENCED01 may not connect from 127.0.0.1: it is allowed only from 10.9.9.0/24 (attend devices update FENCED01 --allow-from).\n')
    server.store.db.update(devices).set({allowFrom: '10.9.9.0/24,127.0.0.1'}).where(eq(devices.serial, 'FENCED01')).run()
    expect((await request(`${server.url}/iclock/cdata?SN=FENCED01&options=all`)).status).toBe(200)
  })

  it('answers a wrong method on a known path 405 with Allow, in plain text', async () => {
    const reply = await request(`${server.url}/iclock/cdata?SN=X`, {method: 'PUT', body: 'x'})
    expect(reply.status).toBe(405)
    expect(reply.headers.get('allow')).toBe('GET, POST')
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(reply.text).toBe('PUT is not allowed on /iclock/cdata: use GET, POST.\n')
  })
})
