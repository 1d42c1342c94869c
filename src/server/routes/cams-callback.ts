/**
 * CAMS Biometric callback (CAMS Web API 3.0): `POST /api/cams/callback`, and the ERP app's
 * documented path as an alias, so a gateway configured for that app works unchanged.
 *
 * The gateway retries anything but HTTP 200 + `{"status":"done"}` and holds later callbacks while
 * it does, so this family ALWAYS answers 200: `{"status":"done"}`, or
 * `{"status":"error","message":"Invalid auth token" | "Invalid JSON" | "Empty request body" | …}`.
 *
 * Bodies: a RealTime punch (`RealTime.SerialNumber` + `AuthToken`), a RealTime user update
 * (`RealTime.UserUpdated`), a historical PunchLog batch, and the Add/Delete User operations
 * (`{"Add": {"User": …}}`, `{"Delete": {"User": …}}`). The gateway names its device by the service
 * tag id it appends (`?stgid=ST-…`): registered with `attend devices update SN --cams-stgid`, that
 * id alone identifies the device — CAMS's batch carries no token — and the device's allow-list
 * can pin it to the gateway's addresses. A token, wherever it is sent, must be the device's own.
 * Unknown employees are stored as unmapped punches and answered done; in a batch the valid rows
 * are stored and the answer is done (with a `rejected` list), so one unreadable row never holds the
 * gateway's queue.
 */
import type {FastifyReply, FastifyRequest} from 'fastify'

import {removeDeviceUsers, upsertDeviceUsers} from '../../devices/device-users.js'
import type {Device} from '../../devices/service.js'
import {tokenVerifies} from '../../devices/token.js'
import {parseCamsPunchLog, parseCamsUser, type CamsUser} from '../../formats/cams.js'
import type {CanonicalPunch, ParsedRecord} from '../../punches/types.js'
import type {ServerDeps} from '../deps.js'
import {HttpError} from '../errors/http-error.js'
import {authenticateDevice} from '../kit/authenticate.js'
import type {Family} from '../kit/family.js'
import {ingestInJobs, rejections} from '../kit/ingest.js'
import {bodyText} from '../raw-body.js'

/** The ERP app's own endpoint (a Frappe whitelisted method), kept verbatim. */
export const CAMS_SEED_PATH = '/api/method/navari_cams_biometric.cams_biometric.controllers.cams_call.attendance'
export const CAMS_CALLBACK_PATH = '/api/cams/callback'

type CallbackReply = {status: 'done'; rejected?: {index: number; reason: string}[]; rejectedCount?: number} | {status: 'error'; message: string}
type Json = Record<string, unknown>

const INVALID_TOKEN = 'Invalid auth token'
const SHAPES = 'Expected a JSON object with RealTime, PunchLog, Add or Delete'

/** A callback refused: answered 200 `{"status":"error"}` like every failure of this family. */
const refused = (message: string) => new HttpError(400, 'callback_refused', message)

export const camsCallbackFamily: Family = {
  name: 'cams-callback',
  paths: ['/api/cams', '/api/method/navari_cams_biometric'],
  // Even a body over the limit or a broken store is answered 200: the gateway then retries later.
  render: (failure) => ({status: 'error', message: failure.statusCode === 413 ? 'Request body too large' : failure.message}),
  alwaysOk: true,
  hint: `the CAMS callback is POST ${CAMS_CALLBACK_PATH}`,
  rawBody: true,
  async routes(app, {deps}) {
    const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<CallbackReply> => {
      const body = readBody(request)
      const query = (request.query ?? {}) as Json
      if (body.RealTime !== undefined) return realTime(deps, request, reply, body, query)
      if (body.PunchLog !== undefined) return batch(deps, request, reply, body, query)
      if (body.Add !== undefined || body.Delete !== undefined) return userOperation(deps, request, reply, body, query)
      throw refused(SHAPES)
    }
    app.post(CAMS_CALLBACK_PATH, handler)
    app.post(CAMS_SEED_PATH, handler)
  },
}

function readBody(request: FastifyRequest): Json {
  const text = bodyText(request.body).replace(/^\uFEFF/, '')
  if (!text.trim()) throw refused('Empty request body')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw refused('Invalid JSON')
  }
  if (!isObject(value)) throw refused(SHAPES)
  return value
}

async function realTime(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, body: Json, query: Json): Promise<CallbackReply> {
  const rt = body.RealTime
  if (!isObject(rt)) throw refused('RealTime must be an object with SerialNumber, PunchLog and AuthToken')
  const token = text(rt.AuthToken) ?? text(body.AuthToken) ?? queryToken(query)
  const serial = text(rt.SerialNumber)
  const device = await gatewayDevice(deps, request, reply, {serial, stgid: text(query.stgid), token, tokenRequired: true})
  if (rt.UserUpdated !== undefined) return recordUsers(deps, request, device, [parseCamsUser(rt.UserUpdated, 'RealTime.UserUpdated')], 'add')
  if (rt.PunchLog === undefined) throw refused('RealTime has neither PunchLog nor UserUpdated')
  const parsed = parseCamsPunchLog(rt.PunchLog, 0, device.serial)
  const summary = await ingestInJobs(request.server.attendStore, [ownedBy(parsed, device)], {source: 'http:cams-callback'})
  const [result] = summary.results
  if (result.status === 'rejected') throw refused(`RealTime.PunchLog: ${result.reason}`)
  return {status: 'done'}
}

async function batch(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, body: Json, query: Json): Promise<CallbackReply> {
  const log = body.PunchLog
  if (!isObject(log)) throw refused('PunchLog must be an object with a Log array')
  const token = text(body.AuthToken) ?? text(log.AuthToken) ?? queryToken(query)
  const device = await gatewayDevice(deps, request, reply, {serial: null, stgid: text(query.stgid), token, tokenRequired: false})
  if (log.Log === undefined || log.Log === null) throw refused('Missing PunchLog.Log')
  // A gateway with a single historical punch sends it as one object rather than a list of one.
  const entries = Array.isArray(log.Log) ? log.Log : isObject(log.Log) ? [log.Log] : null
  if (!entries) throw refused('PunchLog.Log must be an array of logs (or one log object)')
  const records = entries.map((entry, index) => ownedBy(parseCamsPunchLog(entry, index, device.serial), device))
  const summary = await ingestInJobs(request.server.attendStore, records, {source: 'http:cams-callback'})
  const {listed, total} = rejections(summary)
  const rejected = listed.map(({index, reason}) => ({index, reason: `PunchLog.Log[${index}]: ${reason}`}))
  if (rejected.length === 0) return {status: 'done'}
  request.log.warn({device: device.serial, count: total, rejected: rejected.slice(0, 20)}, 'CAMS batch rows rejected')
  // The first rows are listed; past that, the count keeps the answer small.
  return total > rejected.length ? {status: 'done', rejected, rejectedCount: total} : {status: 'done', rejected}
}

/** Add/Delete User: the gateway reports a user enrolled on or removed from the device. */
async function userOperation(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, body: Json, query: Json): Promise<CallbackReply> {
  const token = text(body.AuthToken) ?? queryToken(query)
  const device = await gatewayDevice(deps, request, reply, {serial: null, stgid: text(query.stgid), token, tokenRequired: false})
  const operation = body.Add !== undefined ? 'Add' : 'Delete'
  const content = body[operation]
  if (!isObject(content)) throw refused(`${operation} must be an object with a User`)
  const users = Array.isArray(content.User) ? content.User : [content.User]
  return recordUsers(deps, request, device, users.map((user, i) => parseCamsUser(user, users.length > 1 ? `${operation}.User[${i}]` : `${operation}.User`)), operation === 'Add' ? 'add' : 'delete')
}

async function recordUsers(deps: ServerDeps, request: FastifyRequest, device: Device, parsed: (CamsUser | {reason: string})[], change: 'add' | 'delete'): Promise<CallbackReply> {
  const problem = parsed.find((user): user is {reason: string} => 'reason' in user)
  if (problem) throw refused(problem.reason)
  const users = parsed as CamsUser[]
  const now = deps.now()
  const store = request.server.attendStore
  if (change === 'delete') await removeDeviceUsers(store, device.id, users.map((user) => user.userId))
  else await upsertDeviceUsers(store, device.id, users.map((user) => ({deviceUserId: user.userId, name: user.name, privilege: user.userType, card: null})), now)
  return {status: 'done'}
}

interface GatewayClaim {
  /** RealTime.SerialNumber. */
  serial: string | null
  /** The service tag id the gateway appended (`?stgid=`). */
  stgid: string | null
  token: string | null
  /** RealTime bodies always carry their token; batches and user operations may come with the stgid alone. */
  tokenRequired: boolean
}

/**
 * The device a callback comes from: by its serial (RealTime), else by the service tag id the
 * gateway appended — registered as the device's CAMS stgid, or (older set-ups) equal to its
 * serial — else by its token alone. A presented token must be the device's own; without one, only
 * a registered stgid identifies the device.
 */
function gatewayDevice(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, claim: GatewayClaim): Promise<Device> {
  const named = claim.serial ?? claim.stgid
  return authenticateDevice(
    deps,
    request,
    reply,
    {
      serial: named,
      async find() {
        const devices = request.server.attendStore.devices
        const bySerial = claim.serial ? await devices.bySerial(claim.serial) : undefined
        if (bySerial) return bySerial
        if (claim.stgid) {
          const byStgid = await devices.byStgid(claim.stgid)
          if (byStgid) return byStgid
          const stgidAsSerial = await devices.bySerial(claim.stgid)
          if (stgidAsSerial) return stgidAsSerial
        }
        if (!claim.serial && claim.token) {
          // A token alone names its device; the stgid, if any, was not registered.
          const byToken = await devices.byToken(claim.token)
          if (byToken) return byToken
          if (!claim.stgid) throw refused(INVALID_TOKEN)
        }
        return undefined
      },
      unknown: () => refused(INVALID_TOKEN),
      verify(device) {
        if (claim.token) {
          if (!tokenVerifies(device, claim.token)) throw refused(INVALID_TOKEN)
          return
        }
        const registeredStgid = claim.stgid !== null && device.camsStgid === claim.stgid
        if (claim.tokenRequired || !registeredStgid) throw refused(INVALID_TOKEN)
      },
    },
    {active: true},
  )
}

/** The authenticated device owns the punch, whatever serial the payload claims. */
function ownedBy(record: ParsedRecord, device: Device): ParsedRecord {
  if (!record.ok) return record
  const punch: CanonicalPunch = {...record.punch, deviceSerial: device.serial}
  return {ok: true, punch}
}

function queryToken(query: Json): string | null {
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
