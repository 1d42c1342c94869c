/**
 * Push-mode terminals (seed 004): `POST /api/v1/biometric/push-log` with
 * `Authorization: Bearer <device API token>` and `{"logs":[…]}`. Errors are
 * `{"success":false,"message":"<sentence>"}` (the shape of the other JSON family this school system
 * documents, seed 000): 400 bad body, 401 missing or wrong token, 403 device inactive or not in push
 * mode (the seed's troubleshooting table), 413 oversize body. Re-sending a batch is safe: the
 * pipeline deduplicates on (device, user, instant) and reports those rows as duplicates.
 */
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import type {Device} from '../../devices/service.js'
import {findDeviceByToken} from '../../devices/token.js'
import {parsePushLogEntry, readPushLogBody} from '../../formats/push-log.js'
import {parseStateMap} from '../../formats/state-map.js'
import {ingestPunches} from '../../punches/pipeline.js'
import type {CanonicalPunch} from '../../punches/types.js'
import type {ServerDeps} from '../deps.js'
import {markDeviceSeen} from '../device-seen.js'
import {useFamilyErrors} from '../errors/family.js'
import {HttpError} from '../errors/http-error.js'
import {headerValue, parseJsonBody, useRawBody} from '../raw-body.js'

export interface PushLogRejection {
  /** 0-based position in `logs`. */
  index: number
  reason: string
}

export interface PushLogResponse {
  success: boolean
  message: string
  device: string
  received: number
  stored: number
  duplicates: number
  /** Stored punches whose user id is not mapped to an employee yet (kept, counted for nobody). */
  unmapped: number
  rejected: PushLogRejection[]
}

export default async function routes(app: FastifyInstance, opts: {deps: ServerDeps}): Promise<void> {
  const {deps} = opts
  useRawBody(app)
  useFamilyErrors(app, (failure) => ({success: false, message: failure.message}))

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Device> {
    const device = await app.deviceGuard.identify(request, reply, () => {
      const header = headerValue(request.headers.authorization)
      if (!header) throw new HttpError(401, 'missing_token', 'Missing Authorization header: send "Authorization: Bearer <device API token>".')
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      if (!match) throw new HttpError(401, 'invalid_token', 'The Authorization header must be "Bearer <device API token>".')
      const found = findDeviceByToken(deps.store, match[1])
      if (!found) {
        throw new HttpError(401, 'invalid_token', 'Invalid device API token: copy the current token of this device (attend devices token <serial> issues a new one).')
      }
      return found
    })
    markDeviceSeen(deps.store, device, deps.now())
    if (device.status !== 'active') {
      throw new HttpError(403, 'device_inactive', `Device ${device.serial} is inactive: set its status to active before it pushes logs.`)
    }
    if (device.mode !== 'push') {
      throw new HttpError(403, 'device_not_push', `Device ${device.serial} is in ${device.mode} mode: set its sync mode to push before it pushes logs.`)
    }
    return device
  }

  app.post('/api/v1/biometric/push-log', async (request, reply) => {
    const device = await authenticate(request, reply)
    const body = readPushLogBody(parseJsonBody(request.body, 'a JSON object with a "logs" array'))
    if (!body.ok) throw new HttpError(400, 'invalid_body', body.message)

    const stateMap = parseStateMap(device.stateMap)
    const rejected: PushLogRejection[] = []
    const punches: CanonicalPunch[] = []
    const indexOf: number[] = []
    body.logs.forEach((entry, index) => {
      const parsed = parsePushLogEntry(entry, index, device.serial, stateMap)
      if (parsed.ok) {
        punches.push(parsed.punch)
        indexOf.push(index)
      } else {
        rejected.push({index, reason: parsed.rejected.reason})
      }
    })

    const result = await app.writes.run(() => ingestPunches(deps.store, punches, {source: 'http:push-log', now: deps.now()}))
    result.outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') rejected.push({index: indexOf[i], reason: `logs[${indexOf[i]}]: ${outcome.reason}`})
    })
    rejected.sort((a, b) => a.index - b.index)

    const accepted = result.stored + result.duplicates
    const response: PushLogResponse = {
      success: accepted > 0,
      message: summary(body.logs.length, result.stored, result.duplicates, rejected),
      device: device.serial,
      received: body.logs.length,
      stored: result.stored,
      duplicates: result.duplicates,
      unmapped: result.unmapped,
      rejected,
    }
    // Nothing usable at all is the caller's error; a partly bad batch keeps its good punches (200).
    return reply.code(accepted > 0 ? 200 : 400).send(response)
  })
}

function summary(received: number, stored: number, duplicates: number, rejected: readonly PushLogRejection[]): string {
  const counts = `${received} ${received === 1 ? 'log' : 'logs'} received: ${stored} stored, ${duplicates} ${duplicates === 1 ? 'duplicate' : 'duplicates'}, ${rejected.length} rejected.`
  if (rejected.length === 0) return counts
  return `${counts} First rejection: ${rejected[0].reason}`
}
