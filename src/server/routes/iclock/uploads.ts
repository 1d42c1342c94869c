/**
 * What a ZKTeco terminal uploads (`POST /iclock/cdata?table=…`, PUSH 3.x `querydata` and
 * `registry`), each turned into what attend keeps: punches (ATTLOG, rtlog), device users (OPERLOG,
 * USERINFO, the user table), the device's options. Every write goes through group commit, and a
 * reply is sent only once what it acknowledges is committed.
 */
import type {FastifyRequest} from 'fastify'

import {upsertDeviceUsers} from '../../../devices/device-users.js'
import type {Device} from '../../../devices/service.js'
import {parseAttlogLine} from '../../../formats/attlog.js'
import {parseOperlogLine, type DeviceUserRecord} from '../../../formats/zkteco-operlog.js'
import {parseRtlogLine} from '../../../formats/zkteco-rtlog.js'
import type {ParsedRecord} from '../../../punches/types.js'
import type {ServerDeps} from '../../deps.js'
import {HttpError} from '../../errors/http-error.js'
import {ENTRIES_PER_JOB, ingestInJobs} from '../../kit/ingest.js'
import {bodyText} from '../../raw-body.js'
import {parseDeviceOptions} from '../../zkteco/options.js'
import {readStamp} from '../../zkteco/handshake.js'
import {first, type Query} from './device.js'

/** The non-blank lines of an upload. A body with NUL bytes is binary nobody can read: refused, never acknowledged. */
export function uploadLines(request: FastifyRequest): string[] {
  const text = bodyText(request.body)
  if (text.includes('\u0000')) {
    throw new HttpError(400, 'binary_body', 'The body is binary, not the TAB-separated text of the push protocol: nothing was stored (a compressed body needs its Content-Encoding header).')
  }
  return text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '')
}

const SOURCE = 'zkteco'

/**
 * ATTLOG lines → the pipeline, in jobs of a few thousand lines (a 40 000-line backlog never holds
 * the server). The answer acknowledges every non-blank line: duplicates (a resend) are processed,
 * and an unreadable or refused line is logged rather than refused, since a refusal would make the
 * device resend the same line forever. The Stamp the device sent is remembered for its handshake.
 */
export async function storeAttlog(deps: ServerDeps, request: FastifyRequest, device: Device): Promise<string> {
  const lines = uploadLines(request)
  const records = {
    length: lines.length,
    slice: (from: number, to: number) => lines.slice(from, to).map((line, i) => parseAttlogLine(line, from + i + 1) as ParsedRecord),
  }
  const summary = await ingestInJobs(request.server.attendStore, records, {source: SOURCE, defaultDeviceSerial: device.serial})
  logRejected(request, device, 'ATTLOG lines rejected', summary.results.flatMap((r) => (r.status === 'rejected' ? [{line: r.index + 1, reason: r.reason}] : [])))
  rememberStamp(deps, request, device, 'attlog', first((request.query as Query).Stamp))
  return `OK: ${lines.length}`
}

/**
 * PUSH 3.x real-time events (`table=rtlog`, or the `transaction` table): verified people are
 * punches; door and alarm events are counted and acknowledged.
 */
export async function storeRtlog(deps: ServerDeps, request: FastifyRequest, device: Device, lines: readonly string[]): Promise<number> {
  // Parsed a slice at a time, like ATTLOG; events that are no punch are left out of their slice.
  const records = {
    length: lines.length,
    slice: (from: number, to: number) =>
      lines.slice(from, to).flatMap((line, i) => {
        const parsed = parseRtlogLine(line, from + i + 1)
        return parsed && parsed.ok !== 'skipped' ? [parsed] : []
      }),
  }
  const summary = await ingestInJobs(request.server.attendStore, records, {source: SOURCE, defaultDeviceSerial: device.serial})
  logRejected(request, device, 'rtlog events rejected', summary.results.flatMap((r) => (r.status === 'rejected' ? [{line: r.index + 1, reason: r.reason}] : [])))
  return lines.length
}

/**
 * User records (OPERLOG `USER` lines, USERINFO `PIN=` lines, the PUSH 3.x user table) become device
 * users — their names show in `attend map list --unmapped`; other records are counted.
 */
export async function storeUsers(deps: ServerDeps, request: FastifyRequest, device: Device, lines: readonly string[], stamp?: {table: 'operlog'; value: string | undefined}): Promise<number> {
  const users: DeviceUserRecord[] = []
  const rejected: {line: number; reason: string}[] = []
  lines.forEach((line, i) => {
    const parsed = parseOperlogLine(line, i + 1)
    if (parsed?.kind === 'user') users.push(parsed.user)
    else if (parsed?.kind === 'rejected') rejected.push({line: parsed.line, reason: parsed.reason})
  })
  const now = deps.now()
  for (let from = 0; from < users.length; from += ENTRIES_PER_JOB) {
    const part = users.slice(from, from + ENTRIES_PER_JOB)
    await upsertDeviceUsers(request.server.attendStore, device.id, part, now)
  }
  logRejected(request, device, 'user records rejected', rejected)
  if (stamp) rememberStamp(deps, request, device, stamp.table, stamp.value)
  return lines.length
}

/** The device's options (`table=options`, registry, `querydata?type=options`), replacing what it reported before. */
export async function storeOptions(deps: ServerDeps, request: FastifyRequest, device: Device, text: string): Promise<void> {
  const options = parseDeviceOptions(text)
  if (Object.keys(options).length === 0) return
  const now = deps.now()
  await request.server.attendStore.devices.saveOptions(device.id, options, now)
}

/**
 * PUSH 3.x table data (`table=tabledata` on cdata, `type=tabledata` on querydata):
 * `tablename=user&count=N` users are stored and answered `user=N`; `transaction` rows are punches;
 * other tables (templates, photos) are acknowledged with their count without being kept.
 */
export async function storeTableData(deps: ServerDeps, request: FastifyRequest, device: Device): Promise<string> {
  const query = request.query as Query
  const table = (first(query.tablename) ?? '').toLowerCase()
  if (!/^[a-z_]{1,32}$/.test(table)) throw new HttpError(400, 'missing_tablename', 'Missing or unreadable tablename query parameter: expected user, transaction, biodata, biophoto, …')
  const lines = uploadLines(request)
  if (table === 'user') await storeUsers(deps, request, device, lines)
  else if (table === 'transaction') await storeRtlog(deps, request, device, lines)
  else request.log.info({serial: device.serial, table, records: lines.length}, 'iclock table data not kept')
  const stated = Number(first(query.count))
  // The device checks the count it sent; a body cut short is answered with what arrived.
  const count = Number.isSafeInteger(stated) && stated >= 0 && stated <= lines.length ? stated : lines.length
  return `${table}=${count}`
}

function rememberStamp(deps: ServerDeps, request: FastifyRequest, device: Device, table: 'attlog' | 'operlog', value: string | undefined): void {
  const stamp = readStamp(value)
  if (stamp === null || stamp === (table === 'attlog' ? device.attlogStamp : device.operlogStamp)) return
  request.server.attendStore.devices.recordStamp(device.id, table, stamp).catch((error: unknown) => request.log.warn({err: error}, 'could not remember a device stamp'))
}

function logRejected(request: FastifyRequest, device: Device, message: string, rejected: readonly {line: number; reason: string}[]): void {
  if (rejected.length > 0) request.log.warn({serial: device.serial, count: rejected.length, rejected: rejected.slice(0, 20)}, message)
}
