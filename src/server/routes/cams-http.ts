/**
 * CAMS HTTP Attendance API (seed 002): `/api/attendance/v1/{punch,heartbeat,validity,config}`,
 * authenticated by the `sn` and `auth-token` headers against the device's token. Errors are
 * `{"ok":false,"error":"<sentence>"}`: 400 bad body, 401 unknown serial or bad token, 403 an
 * inactive device sending punches, 413 oversize body.
 */
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import {findDeviceBySerial, recordRefusedDevice, type Device} from '../../devices/service.js'
import {verifyDeviceToken} from '../../devices/token.js'
import {parseCamsHttpPunch} from '../../formats/cams-http.js'
import {parseStateMap} from '../../formats/state-map.js'
import {ingestPunches} from '../../punches/pipeline.js'
import {siteSettings} from '../../settings/settings.js'
import {LocalClock} from '../../time/local-clock.js'
import type {ServerDeps} from '../deps.js'
import {markDeviceSeen} from '../device-seen.js'
import {useFamilyErrors} from '../errors/family.js'
import {HttpError} from '../errors/http-error.js'
import {headerValue, parseJsonBody, useRawBody} from '../raw-body.js'

const BASE = '/api/attendance/v1'
const PUNCH_BODY = 'a JSON object with user_id, att_time, att_state and input_type'

export default async function routes(app: FastifyInstance, opts: {deps: ServerDeps}): Promise<void> {
  const {deps} = opts
  useRawBody(app)
  useFamilyErrors(app, (failure) => ({ok: false, error: failure.message}))

  /** Every operation: the serial must be registered and the token its current one. */
  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Device> {
    const now = deps.now()
    const device = await app.deviceGuard.identify(request, reply, () => {
      const serial = headerValue(request.headers.sn)
      if (!serial) throw new HttpError(401, 'missing_serial', 'Missing sn header: every request must carry the device serial.')
      const token = headerValue(request.headers['auth-token'])
      if (!token) throw new HttpError(401, 'missing_token', `Missing auth-token header for device ${serial}.`)
      if (!findDeviceBySerial(deps.store, serial)) {
        recordRefusedDevice(deps.store, {serial, remoteAddress: request.ip, route: request.routeOptions.url ?? null}, now)
        throw new HttpError(401, 'unknown_device', `Unknown device serial ${serial}: register it with attend devices add --serial ${serial}.`)
      }
      const verified = verifyDeviceToken(deps.store, serial, token)
      if (!verified) throw new HttpError(401, 'invalid_token', `Invalid auth-token for device ${serial}: use the token shown by attend devices token ${serial}.`)
      return verified
    })
    markDeviceSeen(deps.store, device, now)
    return device
  }

  app.post(`${BASE}/punch`, async (request, reply) => {
    const device = await authenticate(request, reply)
    if (device.status !== 'active') {
      throw new HttpError(403, 'device_inactive', `Device ${device.serial} is inactive: its punches are refused until an admin reactivates it.`)
    }
    const body = parseJsonBody(request.body, PUNCH_BODY)
    const parsed = parseCamsHttpPunch(body, device.serial, parseStateMap(device.stateMap))
    if (!parsed.ok) throw new HttpError(400, 'invalid_punch', parsed.rejected.reason)
    const result = await app.writes.run(() => ingestPunches(deps.store, [parsed.punch], {source: 'http:cams', now: deps.now()}))
    const outcome = result.outcomes[0]
    if (outcome?.status === 'rejected') throw new HttpError(400, 'invalid_punch', outcome.reason)
    return {ok: true}
  })

  // A heartbeat has no body; devices send it as GET or POST.
  app.route({
    method: ['GET', 'POST'],
    url: `${BASE}/heartbeat`,
    handler: async (request, reply) => {
      await authenticate(request, reply)
      return {ok: true, serverTime: new Date(deps.now()).toISOString()}
    },
  })

  app.route({
    method: ['GET', 'POST'],
    url: `${BASE}/validity`,
    handler: async (request, reply) => {
      const device = await authenticate(request, reply)
      return {ok: true, serial: device.serial, valid: device.status === 'active', status: device.status}
    },
  })

  app.route({
    method: ['GET', 'POST'],
    url: `${BASE}/config`,
    handler: async (request, reply) => {
      const device = await authenticate(request, reply)
      const now = deps.now()
      const timezone = device.timezone ?? siteSettings(deps.store).timezone
      return {
        ok: true,
        config: {
          serial: device.serial,
          name: device.name,
          location: device.location,
          type: device.type,
          direction: device.direction,
          mode: device.mode,
          status: device.status,
          timezone,
          timezoneSource: device.timezone ? 'device' : 'site',
          utcOffsetMinutes: LocalClock.for(timezone).offsetMinutes(now),
          stateMap: parseStateMap(device.stateMap),
          serverTime: new Date(now).toISOString(),
        },
      }
    },
  })
}
