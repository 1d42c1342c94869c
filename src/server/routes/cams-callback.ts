/**
 * CAMS Biometric callback (seed 003, CAMS Web API 3.0): `POST /api/cams/callback`, and the ERP app's
 * path from the seed as an alias, so a gateway configured for that app works unchanged.
 *
 * The gateway retries anything but HTTP 200 + `{"status":"done"}` and holds later callbacks while
 * it does, so this family ALWAYS answers 200: `{"status":"done"}`, or
 * `{"status":"error","message":"Invalid auth token" | "Invalid JSON" | "Empty request body" | …}`.
 * Unknown employees are stored as unmapped punches and answered done. In a historical batch the
 * valid rows are stored and the answer is done (with a `rejected` list), so one unreadable row can
 * never hold the gateway's queue; a RealTime punch that cannot be read is an error naming the field.
 */
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import {findDeviceBySerial, recordRefusedDevice, type Device} from '../../devices/service.js'
import {findDeviceByToken, verifyDeviceToken} from '../../devices/token.js'
import {parseCamsPunchLog} from '../../formats/cams.js'
import {ingestPunches} from '../../punches/pipeline.js'
import type {CanonicalPunch} from '../../punches/types.js'
import type {ServerDeps} from '../deps.js'
import {markDeviceSeen} from '../device-seen.js'
import {describeRequestError} from '../errors/describe.js'
import {bodyText, useRawBody} from '../raw-body.js'

/** The seed's own endpoint (a Frappe whitelisted method), kept verbatim. */
export const CAMS_SEED_PATH = '/api/method/navari_cams_biometric.cams_biometric.controllers.cams_call.attendance'

type CallbackReply = {status: 'done'; rejected?: {index: number; reason: string}[]} | {status: 'error'; message: string}

const INVALID_TOKEN = 'Invalid auth token'

/** A failure answered as `{"status":"error"}`; thrown inside the handler, never a non-200. */
class CallbackError extends Error {}

type Json = Record<string, unknown>

export default async function routes(app: FastifyInstance, opts: {deps: ServerDeps}): Promise<void> {
  const {deps} = opts
  useRawBody(app)
  app.setErrorHandler((error, request, reply) => {
    // Even a body over the limit or a broken store is answered 200: the gateway then retries later.
    const failure = describeRequestError(error, request, app.initialConfig.bodyLimit)
    if (failure.internal) request.log.error({err: error}, 'CAMS callback failed')
    const message = failure.statusCode === 413 ? 'Request body too large' : failure.message
    return reply.code(200).send({status: 'error', message} satisfies CallbackReply)
  })

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<CallbackReply> => {
    try {
      return await handle(request, reply)
    } catch (error) {
      if (error instanceof CallbackError) {
        request.log.warn({reason: error.message}, 'CAMS callback refused')
        return {status: 'error', message: error.message}
      }
      throw error
    }
  }
  app.post('/api/cams/callback', handler)
  app.post(CAMS_SEED_PATH, handler)

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<CallbackReply> {
    const text = bodyText(request.body).replace(/^\uFEFF/, '')
    if (!text.trim()) throw new CallbackError('Empty request body')
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      throw new CallbackError('Invalid JSON')
    }
    if (!isObject(value)) throw new CallbackError('Expected a JSON object with RealTime or PunchLog')
    const query = (request.query ?? {}) as Record<string, unknown>
    if (value.RealTime !== undefined) return realTime(request, reply, value, query)
    if (value.PunchLog !== undefined) return batch(request, reply, value, query)
    throw new CallbackError('Expected a JSON object with RealTime or PunchLog')
  }

  async function realTime(request: FastifyRequest, reply: FastifyReply, body: Json, query: Record<string, unknown>): Promise<CallbackReply> {
    const rt = body.RealTime
    if (!isObject(rt)) throw new CallbackError('RealTime must be an object with SerialNumber, PunchLog and AuthToken')
    const serial = text(rt.SerialNumber) ?? text(query.stgid)
    if (!serial) throw new CallbackError('Missing RealTime.SerialNumber')
    const token = text(rt.AuthToken) ?? text(body.AuthToken) ?? queryToken(query)
    const device = active(await app.deviceGuard.identify(request, reply, () => deviceBySerial(request, serial, token)))
    const parsed = parseCamsPunchLog(rt.PunchLog, 0, device.serial)
    if (!parsed.ok) throw new CallbackError(`RealTime.PunchLog: ${parsed.rejected.reason}`)
    const result = await app.writes.run(() => ingestPunches(deps.store, [withSerial(parsed.punch, device)], {source: 'http:cams-callback', now: deps.now()}))
    const outcome = result.outcomes[0]
    if (outcome?.status === 'rejected') throw new CallbackError(`RealTime.PunchLog: ${outcome.reason}`)
    return {status: 'done'}
  }

  async function batch(request: FastifyRequest, reply: FastifyReply, body: Json, query: Record<string, unknown>): Promise<CallbackReply> {
    const log = body.PunchLog
    if (!isObject(log)) throw new CallbackError('PunchLog must be an object with a Log array')
    const token = text(body.AuthToken) ?? text(log.AuthToken) ?? queryToken(query)
    const stgid = text(query.stgid)
    // The gateway names the source only by its service tag id (treated as the device serial);
    // without a registered one, the token alone identifies the device.
    const device = active(
      await app.deviceGuard.identify(request, reply, () =>
        stgid && findDeviceBySerial(deps.store, stgid) ? deviceBySerial(request, stgid, token) : deviceByToken(request, token, stgid),
      ),
    )
    if (log.Log === undefined || log.Log === null) throw new CallbackError('Missing PunchLog.Log')
    if (!Array.isArray(log.Log)) throw new CallbackError('PunchLog.Log must be an array')

    const rejected: {index: number; reason: string}[] = []
    const punches: CanonicalPunch[] = []
    const indexOf: number[] = []
    log.Log.forEach((entry, index) => {
      const parsed = parseCamsPunchLog(entry, index, device.serial)
      if (parsed.ok) {
        punches.push(withSerial(parsed.punch, device))
        indexOf.push(index)
      } else {
        rejected.push({index, reason: `PunchLog.Log[${index}]: ${parsed.rejected.reason}`})
      }
    })
    const result = await app.writes.run(() => ingestPunches(deps.store, punches, {source: 'http:cams-callback', now: deps.now()}))
    result.outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') rejected.push({index: indexOf[i], reason: `PunchLog.Log[${indexOf[i]}]: ${outcome.reason}`})
    })
    if (rejected.length === 0) return {status: 'done'}
    rejected.sort((a, b) => a.index - b.index)
    request.log.warn({device: device.serial, rejected}, 'CAMS batch rows rejected')
    return {status: 'done', rejected}
  }

  function deviceBySerial(request: FastifyRequest, serial: string, token: string | null): Device {
    const now = deps.now()
    const known = findDeviceBySerial(deps.store, serial)
    if (!known) {
      recordRefusedDevice(deps.store, {serial, remoteAddress: request.ip, route: request.routeOptions.url ?? null}, now)
      throw new CallbackError(INVALID_TOKEN)
    }
    const device = token ? verifyDeviceToken(deps.store, serial, token) : undefined
    if (!device) throw new CallbackError(INVALID_TOKEN)
    return device
  }

  function deviceByToken(request: FastifyRequest, token: string | null, stgid: string | null): Device {
    const now = deps.now()
    const device = token ? findDeviceByToken(deps.store, token) : undefined
    if (!device) {
      if (stgid) recordRefusedDevice(deps.store, {serial: stgid, remoteAddress: request.ip, route: request.routeOptions.url ?? null}, now)
      throw new CallbackError(INVALID_TOKEN)
    }
    return device
  }

  function active(device: Device): Device {
    markDeviceSeen(deps.store, device, deps.now())
    // An error (not done) keeps the punches in the gateway, to be delivered once reactivated.
    if (device.status !== 'active') throw new CallbackError(`Device ${device.serial} is inactive`)
    return device
  }
}

/** The authenticated device owns the punch, whatever serial the payload claims. */
function withSerial(punch: CanonicalPunch, device: Device): CanonicalPunch {
  return {...punch, deviceSerial: device.serial}
}

function queryToken(query: Record<string, unknown>): string | null {
  return text(query.AuthToken) ?? text(query.authToken) ?? text(query.auth_token) ?? text(query.token)
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed || null
}
