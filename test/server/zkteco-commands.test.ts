import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {listCommandsForDevice, queueCommandForDevice} from '../../src/devices/commands.js'
import {createTestDevice, request, startTestServer, type TestServer} from './helpers.js'

const NOW = Date.parse('2026-03-12T09:00:00Z')

/**
 * An admin queues a command with the service `attend devices queue` uses; a ZKTeco terminal
 * (plain fetch, as the firmware speaks it) picks it up over real HTTP and reports the result.
 */
describe('ZKTeco commands end to end', () => {
  let server: TestServer
  let clock = NOW
  beforeAll(async () => {
    server = await startTestServer({timezone: 'Asia/Kolkata', now: () => clock})
    createTestDevice(server.store, {serial: 'CDQ9192960002', name: 'Main gate'})
  })
  afterAll(() => server.close())

  it('queue → getrequest hands it out once → devicecmd closes it with its return code', async () => {
    const open = server.app.attendStore
    const {command} = await queueCommandForDevice(open, 'CDQ9192960002', {kind: 'attlog', from: '2026-03-01', to: '2026-03-12'}, NOW)

    clock = NOW + 10_000
    const poll = await request(`${server.url}/iclock/getrequest?SN=CDQ9192960002`)
    expect(poll.status).toBe(200)
    expect(poll.text).toBe(`C:${command.id}:DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59\n`)
    expect((await listCommandsForDevice(open, 'CDQ9192960002')).commands).toEqual([{...command, status: 'sent', sentAt: '2026-03-12T09:00:10.000Z'}])

    const again = await request(`${server.url}/iclock/getrequest?SN=CDQ9192960002`)
    expect([again.status, again.text]).toEqual([200, 'OK'])

    clock = NOW + 60_000
    const result = await request(`${server.url}/iclock/devicecmd?SN=CDQ9192960002`, {method: 'POST', body: `ID=${command.id}&Return=0&CMD=DATA\r\n`})
    expect([result.status, result.text]).toEqual([200, 'OK'])

    expect((await listCommandsForDevice(open, 'CDQ9192960002', {status: 'done'})).commands).toEqual([
      {
        id: command.id,
        command: 'DATA QUERY ATTLOG StartTime=2026-03-01 00:00:00\tEndTime=2026-03-12 23:59:59',
        status: 'done',
        queuedAt: '2026-03-12T09:00:00.000Z',
        sentAt: '2026-03-12T09:00:10.000Z',
        doneAt: '2026-03-12T09:01:00.000Z',
        returnCode: '0',
        result: null,
      },
    ])
  })

  it('hands out several queued commands in order in one poll, and a failure code marks one failed', async () => {
    const open = server.app.attendStore
    const users = (await queueCommandForDevice(open, 'CDQ9192960002', {kind: 'users'}, NOW)).command
    const reboot = (await queueCommandForDevice(open, 'CDQ9192960002', {kind: 'reboot'}, NOW)).command
    const poll = await request(`${server.url}/iclock/getrequest?SN=CDQ9192960002`)
    expect(poll.text).toBe(`C:${users.id}:DATA QUERY USERINFO\nC:${reboot.id}:REBOOT\n`)
    const body = `ID=${users.id}&Return=12&CMD=DATA\nID=${reboot.id}&Return=-1002&CMD=REBOOT\n`
    expect((await request(`${server.url}/iclock/devicecmd?SN=CDQ9192960002`, {method: 'POST', body})).text).toBe('OK')
    const byId = new Map((await listCommandsForDevice(open, 'CDQ9192960002')).commands.map((c) => [c.id, c]))
    expect(byId.get(users.id)).toMatchObject({status: 'done', returnCode: '12'})
    expect(byId.get(reboot.id)).toMatchObject({status: 'failed', returnCode: '-1002'})
  })
})
