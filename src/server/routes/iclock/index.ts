/**
 * The ZKTeco push protocol ("ADMS", `/iclock/*`) spoken by ZKTeco, eSSL and other ZKTeco-made
 * terminals, PUSH 2.x and 3.x. Plain text both ways. The device only accepts `OK…` with status 200
 * as "stored": anything else makes it keep its records and resend after ErrorDelay, which is exactly
 * what an unknown or inactive serial should get (401/403), so nothing is lost while an admin
 * registers or reactivates it. Every reply carries a Date header (the device sets its clock from it
 * plus the handshake's TimeZone).
 */
import type {FastifyReply} from 'fastify'

import {HttpError} from '../../errors/http-error.js'
import type {Family} from '../../kit/family.js'
import {COMMANDS_PER_POLL, commandReply, commandResultFromQuery, parseCommandResults} from '../../zkteco/commands.js'
import {handshakeReply, pushConfigReply} from '../../zkteco/handshake.js'
import {rtdataTimeReply, zktecoTimeZoneValue} from '../../zkteco/timezone.js'
import {bodyText} from '../../raw-body.js'
import {deviceZone, first, iclockDevice, type Query} from './device.js'
import {storeAttlog, storeOptions, storeRtlog, storeTableData, storeUsers, uploadLines} from './uploads.js'

const TEXT = 'text/plain; charset=utf-8'

/**
 * 10 MiB: a 40 000-line ATTLOG backlog is 1.4 MB and a face template upload 1.2 MB, and a terminal
 * refused with 413 resends the same upload forever.
 */
export const ICLOCK_BODY_LIMIT = 10 * 1024 * 1024
const TABLES = 'ATTLOG, OPERLOG, USERINFO, options, rtlog or tabledata'

/** Both the plain path and the `.aspx` one older firmware asks for. */
const paths = (name: string) => [`/iclock/${name}`, `/iclock/${name}.aspx`]

export const iclockFamily: Family = {
  name: 'iclock',
  paths: ['/iclock'],
  // Plain-text errors: a device only logs the status; an admin reading the log gets the sentence.
  render: (failure) => `${failure.message}\n`,
  contentType: TEXT,
  bodyLimit: ICLOCK_BODY_LIMIT,
  hint: 'the ZKTeco push protocol uses /iclock/cdata, getrequest, devicecmd, ping, registry, push, querydata and rtdata',
  rawBody: true,
  async routes(app, {deps}) {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('Date', new Date(deps.now()).toUTCString())
      return payload
    })
    const text = (reply: FastifyReply, body: string): FastifyReply => reply.code(200).type(TEXT).send(body)

    for (const url of paths('cdata')) {
      // Handshake: what to upload, from which stamp, how often, and the device's own UTC offset.
      app.get(url, async (request, reply) => {
        const device = await iclockDevice(deps, request, reply)
        const zone = zktecoTimeZoneValue(await deviceZone(request, device), deps.now())
        return text(reply, handshakeReply(device.serial, zone, {attlog: device.attlogStamp, operlog: device.operlogStamp}))
      })

      app.post(url, async (request, reply) => {
        const device = await iclockDevice(deps, request, reply)
        const query = request.query as Query
        const table = (first(query.table) ?? '').toUpperCase()
        switch (table) {
          case 'ATTLOG':
            return text(reply, await storeAttlog(deps, request, device))
          case 'OPERLOG':
            return text(reply, `OK: ${await storeUsers(deps, request, device, uploadLines(request), {table: 'operlog', value: first(query.OpStamp) ?? first(query.Stamp)})}`)
          case 'USERINFO':
          case 'USER':
            return text(reply, `OK: ${await storeUsers(deps, request, device, uploadLines(request))}`)
          case 'OPTIONS':
            await storeOptions(deps, request, device, bodyText(request.body))
            return text(reply, 'OK')
          case 'RTLOG':
            await storeRtlog(deps, request, device, uploadLines(request))
            return text(reply, 'OK')
          case 'TABLEDATA':
            return text(reply, await storeTableData(deps, request, device))
          case '':
            throw new HttpError(400, 'missing_table', `Missing table query parameter: expected ${TABLES}.`)
          default:
            // Photos, templates, door states attend does not keep: acknowledged so the device does not resend forever.
            request.log.info({serial: device.serial, table: table.slice(0, 32)}, 'iclock table ignored')
            return text(reply, 'OK')
        }
      })
    }

    for (const url of paths('getrequest')) {
      app.route({
        method: ['GET', 'POST'],
        url,
        handler: async (request, reply) => {
          const device = await iclockDevice(deps, request, reply)
          const now = deps.now()
          return text(reply, commandReply(await app.attendStore.devices.takeCommands(device.id, now, COMMANDS_PER_POLL)))
        },
      })
    }

    for (const url of paths('devicecmd')) {
      app.post(url, async (request, reply) => {
        const device = await iclockDevice(deps, request, reply)
        const results = parseCommandResults(bodyText(request.body))
        const inQuery = commandResultFromQuery(request.query as Record<string, unknown>)
        if (inQuery && !results.some((result) => result.id === inQuery.id)) results.push(inQuery)
        const now = deps.now()
        const {updated} = results.length === 0 ? {updated: 0} : await app.attendStore.devices.recordResults(device.id, results, now)
        if (updated < results.length) request.log.warn({serial: device.serial, ids: results.map((r) => r.id)}, 'results for commands this device was never sent')
        return text(reply, 'OK')
      })
    }

    app.route({
      method: ['GET', 'POST'],
      url: '/iclock/ping',
      handler: async (request, reply) => {
        await iclockDevice(deps, request, reply)
        return text(reply, 'OK')
      },
    })

    // PUSH 3.x: the device registers its capabilities and gets a registry code back…
    app.post('/iclock/registry', async (request, reply) => {
      const device = await iclockDevice(deps, request, reply)
      await storeOptions(deps, request, device, bodyText(request.body))
      return text(reply, `RegistryCode=${registryCode(device.id)}`)
    })

    // …then downloads its transfer settings,…
    app.route({
      method: ['GET', 'POST'],
      url: '/iclock/push',
      handler: async (request, reply) => {
        const device = await iclockDevice(deps, request, reply)
        return text(reply, pushConfigReply(zktecoTimeZoneValue(await deviceZone(request, device), deps.now())))
      },
    })

    // …answers DATA QUERY and GET OPTIONS commands here,…
    app.post('/iclock/querydata', async (request, reply) => {
      const device = await iclockDevice(deps, request, reply)
      const type = (first((request.query as Query).type) ?? '').toLowerCase()
      if (type === 'options') {
        await storeOptions(deps, request, device, bodyText(request.body))
        return text(reply, 'OK')
      }
      if (type === 'tabledata') return text(reply, await storeTableData(deps, request, device))
      request.log.info({serial: device.serial, type: type.slice(0, 32)}, 'iclock querydata ignored')
      return text(reply, 'OK')
    })

    // …and asks for the server's time.
    app.get('/iclock/rtdata', async (request, reply) => {
      const device = await iclockDevice(deps, request, reply)
      const type = (first((request.query as Query).type) ?? '').toLowerCase()
      if (type === 'time') return text(reply, rtdataTimeReply(deps.now(), await deviceZone(request, device)))
      return text(reply, 'OK')
    })
  },
}

/** The code a PUSH 3.x registry answer hands the device: stable for the device, no secret. */
function registryCode(deviceId: number): string {
  return `attend${String(deviceId).padStart(6, '0')}`
}
