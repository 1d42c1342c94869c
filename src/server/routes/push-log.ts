/**
 * Push-mode terminals: `POST /api/v1/biometric/push-log` with
 * `Authorization: Bearer <device API token>` and `{"logs":[…]}`. Errors are
 * `{"success":false,"message":"<sentence>"}` (the shape of the other JSON family this school system
 * documents, the worker attendance API): 400 bad body, 401 missing or wrong token, 403 device inactive or not in push
 * mode (a terminal in pull mode must not push), 413 oversize body. Re-sending a batch is safe: the
 * pipeline deduplicates on (device, user, instant) and reports those rows as duplicates.
 */
import type {Device} from '../../devices/service.js'
import {parsePushLogEntry, readPushLogBody} from '../../formats/push-log.js'
import {parseStateMap} from '../../formats/state-map.js'
import {HttpError} from '../errors/http-error.js'
import {authenticateDevice} from '../kit/authenticate.js'
import type {Family} from '../kit/family.js'
import {ingestInJobs, rejections} from '../kit/ingest.js'
import {headerValue, parseJsonBody} from '../raw-body.js'

export const PUSH_LOG_PATH = '/api/v1/biometric/push-log'

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
  /** The first 100 rejected logs (the message gives the total). */
  rejected: PushLogRejection[]
}

export const pushLogFamily: Family = {
  name: 'push-log',
  paths: ['/api/v1/biometric'],
  render: (failure) => ({success: false, message: failure.message}),
  hint: `device logs are sent with POST ${PUSH_LOG_PATH}`,
  rawBody: true,
  async routes(app, {deps}) {
    app.post(PUSH_LOG_PATH, async (request, reply) => {
      const header = headerValue(request.headers.authorization)
      const device: Device = await authenticateDevice(
        deps,
        request,
        reply,
        {
          serial: null,
          async find() {
            if (!header) throw new HttpError(401, 'missing_token', 'Missing Authorization header: send "Authorization: Bearer <device API token>".')
            const match = /^Bearer\s+(\S+)$/i.exec(header)
            if (!match) throw new HttpError(401, 'invalid_token', 'The Authorization header must be "Bearer <device API token>".')
            return request.server.attendStore.devices.byToken(match[1])
          },
          unknown: () => new HttpError(401, 'invalid_token', 'Invalid device API token: copy the current token of this device (attend devices token <serial> issues a new one).'),
        },
        {active: true, pushMode: true},
      )
      const body = readPushLogBody(parseJsonBody(request.body, 'a JSON object with a "logs" array'))
      if (!body.ok) throw new HttpError(400, 'invalid_body', body.message)

      const stateMap = parseStateMap(device.stateMap)
      const records = body.logs.map((entry, index) => parsePushLogEntry(entry, index, device.serial, stateMap))
      const summary = await ingestInJobs(app.attendStore, records, {source: 'http:push-log'})
      const {listed, total} = rejections(summary)
      const rejected = listed.map(({index, reason}) => ({index, reason: reason.startsWith('logs[') ? reason : `logs[${index}]: ${reason}`}))
      const accepted = summary.stored + summary.duplicates
      const response: PushLogResponse = {
        success: accepted > 0,
        message: describeBatch(body.logs.length, summary.stored, summary.duplicates, total, rejected),
        device: device.serial,
        received: body.logs.length,
        stored: summary.stored,
        duplicates: summary.duplicates,
        unmapped: summary.unmapped,
        rejected,
      }
      // Nothing usable at all is the caller's error; a partly bad batch keeps its good punches (200).
      return reply.code(accepted > 0 ? 200 : 400).send(response)
    })
  },
}

function describeBatch(received: number, stored: number, duplicates: number, rejectedTotal: number, listed: readonly PushLogRejection[]): string {
  const counts = `${received} ${received === 1 ? 'log' : 'logs'} received: ${stored} stored, ${duplicates} ${duplicates === 1 ? 'duplicate' : 'duplicates'}, ${rejectedTotal} rejected.`
  if (listed.length === 0) return counts
  const shown = listed.length < rejectedTotal ? ` The first ${listed.length} rejections are listed.` : ''
  return `${counts}${shown} First rejection: ${listed[0].reason}`
}
