import type {FastifyReply, FastifyRequest} from 'fastify'

import type {Device} from '../../../devices/service.js'
import {quote} from '../../../formats/input-policy.js'
import type {ServerDeps} from '../../deps.js'
import {HttpError} from '../../errors/http-error.js'
import {authenticateDevice} from '../../kit/authenticate.js'

export type Query = Record<string, string | string[] | undefined>

/** A query parameter, trimmed, the first one when repeated; undefined when absent or blank. */
export function first(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  return text || undefined
}

/**
 * The terminal behind an /iclock request: a registered, active serial (`SN`, or `sn`), connecting
 * from an address its allow-list accepts. The ZKTeco push protocol has no credential but the serial,
 * hence the allow-list (`attend devices update SN --allow-from 192.168.1.0/24`). Unknown serials get
 * 401 and inactive devices 403, so the terminal keeps its records and retries until an admin acts.
 */
export function iclockDevice(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply): Promise<Device> {
  const query = request.query as Query
  const serial = first(query.SN) ?? first(query.sn)
  if (!serial) throw new HttpError(400, 'missing_serial', 'Missing SN query parameter: every iclock request names the device serial.')
  const named = quote(serial).slice(1, -1)
  return authenticateDevice(
    deps,
    request,
    reply,
    {
      serial,
      find: () => request.server.attendStore.devices.bySerial(serial),
      unknown: () => new HttpError(401, 'unknown_device', `Unknown device ${named}: register it with attend devices add --serial ${named}.`),
    },
    {active: true},
  )
}

/** The zone a device's clock runs in: its own, else the site's. */
export async function deviceZone(request: FastifyRequest, device: Device): Promise<string> {
  return device.timezone ?? (await request.server.attendStore.siteSettings.read()).timezone
}
