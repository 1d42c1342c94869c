/**
 * CAMS HTTP Attendance API: `/api/attendance/v1/{punch,heartbeat,validity,config}`,
 * authenticated by the `sn` and `auth-token` headers against the device's token. Errors are
 * `{"ok":false,"error":"<sentence>"}`: 400 bad body, 401 unknown serial or bad token, 403 an
 * inactive device sending punches (or one outside its allow-list), 413 oversize body.
 */
import type {FastifyReply, FastifyRequest} from 'fastify'

import type {Device} from '../../devices/service.js'
import {tokenVerifies} from '../../devices/token.js'
import {parseCamsHttpPunch} from '../../formats/cams-http.js'
import {quote} from '../../formats/input-policy.js'
import {parseStateMap} from '../../formats/state-map.js'
import {LocalClock} from '../../time/local-clock.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'
import {authenticateDevice} from '../kit/authenticate.js'
import type {Family} from '../kit/family.js'
import {ingestInJobs} from '../kit/ingest.js'
import {headerValue, parseJsonBody} from '../raw-body.js'

const BASE = '/api/attendance/v1'
const PUNCH_BODY = 'a JSON object with user_id, att_time, att_state and input_type'

export const camsHttpFamily: Family = {
  name: 'cams-http',
  paths: [BASE],
  render: (failure) => ({ok: false, error: failure.message}),
  hint: `the operations are punch, heartbeat, validity and config under ${BASE}`,
  rawBody: true,
  async routes(app, {deps}) {
    app.post(`${BASE}/punch`, async (request, reply) => {
      const device = await authenticate(deps, request, reply, true)
      const body = parseJsonBody(request.body, PUNCH_BODY)
      const parsed = parseCamsHttpPunch(body, device.serial, parseStateMap(device.stateMap))
      const summary = await ingestInJobs(app.attendStore, [parsed], {source: 'http:cams'})
      const [result] = summary.results
      if (result.status === 'rejected') throw new HttpError(400, 'invalid_punch', result.reason)
      return {ok: true}
    })

    // A heartbeat has no body; devices send it as GET or POST.
    app.route({
      method: ['GET', 'POST'],
      url: `${BASE}/heartbeat`,
      handler: async (request, reply) => {
        await authenticate(deps, request, reply, false)
        return {ok: true, serverTime: new Date(deps.now()).toISOString()}
      },
    })

    app.route({
      method: ['GET', 'POST'],
      url: `${BASE}/validity`,
      handler: async (request, reply) => {
        const device = await authenticate(deps, request, reply, false)
        return {ok: true, serial: device.serial, valid: device.status === 'active', status: device.status}
      },
    })

    app.route({
      method: ['GET', 'POST'],
      url: `${BASE}/config`,
      handler: async (request, reply) => {
        const device = await authenticate(deps, request, reply, false)
        const now = deps.now()
        const timezone = device.timezone ?? (await request.server.attendStore.siteSettings.read()).timezone
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
  },
}

/** Every operation: the serial must be registered and the token its current one. */
function authenticate(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, active: boolean): Promise<Device> {
  const serial = headerValue(request.headers.sn)
  const token = headerValue(request.headers['auth-token'])
  const named = quote(serial).slice(1, -1)
  return authenticateDevice(
    deps,
    request,
    reply,
    {
      serial: serial || null,
      async find() {
        // Thrown here, inside the guard, a missing header counts as a failed attempt too.
        if (!serial) throw new HttpError(401, 'missing_serial', 'Missing sn header: every request must carry the device serial.')
        if (!token) throw new HttpError(401, 'missing_token', `Missing auth-token header for device ${named}.`)
        return request.server.attendStore.devices.bySerial(serial)
      },
      unknown: () => new HttpError(401, 'unknown_device', `Unknown device serial ${named}: register it with attend devices add --serial ${named}.`),
      verify(device) {
        if (!tokenVerifies(device, token)) {
          throw new HttpError(401, 'invalid_token', `Invalid auth-token for device ${device.serial}: use the token shown by attend devices token ${device.serial}.`)
        }
      },
    },
    {active},
  )
}
