/**
 * The ZKTeco push protocol ("ADMS", `/iclock/*`) spoken by ZKTeco, eSSL and other ZKTeco-made
 * terminals (PROTOCOLS.md). Plain text both ways. The device only accepts `OK…` with status 200 as
 * "stored": anything else makes it keep its records and resend after ErrorDelay, which is exactly
 * what an unknown or inactive serial should get (401/403), so nothing is lost while an admin
 * registers or reactivates it. Every reply carries a Date header (the device sets its clock from it
 * plus the handshake's TimeZone).
 */
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import {upsertDeviceUsers} from '../../devices/device-users.js'
import {findDeviceBySerial, recordRefusedDevice, type Device} from '../../devices/service.js'
import {parseAttlogLine} from '../../formats/attlog.js'
import {directionFromStateMap, parseStateMap} from '../../formats/state-map.js'
import {parseOperlogLine, type DeviceUserRecord} from '../../formats/zkteco-operlog.js'
import {ingestPunches} from '../../punches/pipeline.js'
import type {CanonicalPunch, RejectedRecord} from '../../punches/types.js'
import {readSettings} from '../../settings/settings.js'
import type {ServerDeps} from '../deps.js'
import {markDeviceSeen} from '../device-seen.js'
import {useFamilyErrors} from '../errors/family.js'
import {HttpError} from '../errors/http-error.js'
import {bodyText, useRawBody} from '../raw-body.js'
import {commandReply, parseCommandResults, recordCommandResults, takeQueuedCommands} from '../zkteco/commands.js'
import {handshakeReply} from '../zkteco/handshake.js'
import {parseDeviceOptions, saveDeviceOptions} from '../zkteco/options.js'
import {zktecoTimeZoneValue} from '../zkteco/timezone.js'

type Query = Record<string, string | string[] | undefined>

export default async function routes(app: FastifyInstance, opts: {deps: ServerDeps}): Promise<void> {
  const {deps} = opts
  useRawBody(app)
  // Plain-text errors: a device only logs the status; an admin reading the log gets the sentence.
  useFamilyErrors(app, (failure) => `${failure.message}\n`)
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Date', new Date(deps.now()).toUTCString())
    if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8')
    return payload
  })

  async function device(request: FastifyRequest, reply: FastifyReply): Promise<Device> {
    const query = request.query as Query
    const serial = first(query.SN) ?? first(query.sn)
    if (!serial) throw new HttpError(400, 'missing_serial', 'Missing SN query parameter: every iclock request names the device serial.')
    const now = deps.now()
    const refuse = (statusCode: number, code: string, message: string): HttpError => {
      recordRefusedDevice(deps.store, {serial, remoteAddress: request.ip, route: request.routeOptions.url ?? null}, now)
      request.log.warn({serial, code}, message)
      return new HttpError(statusCode, code, message)
    }
    const found = await app.deviceGuard.identify(request, reply, () => {
      const known = findDeviceBySerial(deps.store, serial)
      if (!known) throw refuse(401, 'unknown_device', `Unknown device ${serial}: register it with attend devices add --serial ${serial}.`)
      return known
    })
    markDeviceSeen(deps.store, found, now)
    if (found.status !== 'active') throw refuse(403, 'device_inactive', `Device ${serial} is inactive: its records are refused until it is reactivated.`)
    return found
  }

  const text = (reply: FastifyReply, body: string): FastifyReply => reply.code(200).type('text/plain; charset=utf-8').send(body)

  // Handshake: what to upload, how often, and the device's own UTC offset.
  for (const url of ['/iclock/cdata', '/iclock/cdata.aspx']) {
    app.get(url, async (request, reply) => {
      const found = await device(request, reply)
      const zone = found.timezone ?? readSettings(deps.store).timezone
      return text(reply, handshakeReply(found.serial, zktecoTimeZoneValue(zone, deps.now())))
    })

    app.post(url, async (request, reply) => {
      const found = await device(request, reply)
      const table = (first((request.query as Query).table) ?? '').toUpperCase()
      const lines = bodyText(request.body).replace(/\r/g, '').split('\n')
      switch (table) {
        case 'ATTLOG':
          return text(reply, `OK: ${await storeAttlog(request, found, lines)}`)
        case 'OPERLOG':
        case 'USERINFO':
          return text(reply, `OK: ${storeOperlog(request, found, lines)}`)
        case 'OPTIONS':
          saveDeviceOptions(deps.store, found.id, parseDeviceOptions(lines.join('\n')), deps.now())
          return text(reply, 'OK')
        case '':
          throw new HttpError(400, 'missing_table', 'Missing table query parameter: expected ATTLOG, OPERLOG or options.')
        default:
          // Photos and templates attend does not keep: acknowledged so the device does not resend forever.
          request.log.info({serial: found.serial, table}, 'iclock table ignored')
          return text(reply, 'OK')
      }
    })
  }

  for (const url of ['/iclock/getrequest', '/iclock/getrequest.aspx']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      handler: async (request, reply) => {
        const found = await device(request, reply)
        return text(reply, commandReply(takeQueuedCommands(deps.store, found.id, deps.now())))
      },
    })
  }

  for (const url of ['/iclock/devicecmd', '/iclock/devicecmd.aspx']) {
    app.post(url, async (request, reply) => {
      const found = await device(request, reply)
      const results = parseCommandResults(bodyText(request.body).replace(/\r/g, ''))
      const {updated} = recordCommandResults(deps.store, found.id, results, deps.now())
      if (updated < results.length) request.log.warn({serial: found.serial, results}, 'results for commands this device was never sent')
      return text(reply, 'OK')
    })
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/iclock/ping',
    handler: async (request, reply) => {
      await device(request, reply)
      return text(reply, 'OK')
    },
  })

  /**
   * ATTLOG lines → the pipeline, in one transaction. The count acknowledges every non-blank line:
   * duplicates (a resend) are processed, and an unreadable line is logged rather than refused,
   * since a refusal would make the device resend the same unreadable line forever.
   */
  async function storeAttlog(request: FastifyRequest, found: Device, lines: readonly string[]): Promise<number> {
    const stateMap = parseStateMap(found.stateMap)
    const punches: CanonicalPunch[] = []
    const rejected: RejectedRecord[] = []
    let records = 0
    lines.forEach((line, i) => {
      const parsed = parseAttlogLine(line, i + 1)
      if (parsed === null) return
      records++
      if (!parsed.ok) {
        rejected.push(parsed.rejected)
        return
      }
      const mapped = directionFromStateMap(stateMap, parsed.punch.rawStatus)
      punches.push({...parsed.punch, deviceSerial: found.serial, direction: mapped ?? parsed.punch.direction ?? null})
    })
    const result = await app.writes.run(() => ingestPunches(deps.store, punches, {source: 'zkteco', now: deps.now(), defaultDeviceSerial: found.serial}))
    result.outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') rejected.push({line: punches[i].line ?? 0, reason: outcome.reason, raw: punches[i].raw ?? undefined})
    })
    if (rejected.length > 0) request.log.warn({serial: found.serial, rejected}, 'ATTLOG lines rejected')
    return records
  }

  /** USER lines become device users (their names show in `attend map list --unmapped`); the rest are counted. */
  function storeOperlog(request: FastifyRequest, found: Device, lines: readonly string[]): number {
    const users: DeviceUserRecord[] = []
    let records = 0
    const rejected: string[] = []
    lines.forEach((line, i) => {
      const parsed = parseOperlogLine(line, i + 1)
      if (parsed === null) return
      records++
      if (parsed.kind === 'user') users.push(parsed.user)
      else if (parsed.kind === 'rejected') rejected.push(parsed.reason)
    })
    upsertDeviceUsers(deps.store, found.id, users, deps.now())
    if (rejected.length > 0) request.log.warn({serial: found.serial, rejected}, 'OPERLOG lines rejected')
    return records
  }
}

function first(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  return text || undefined
}
