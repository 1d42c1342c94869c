import type {FastifyReply, FastifyRequest} from 'fastify'

import {addressAllowed, describeAllowFrom} from '../../devices/allow-list.js'
import type {Device} from '../../devices/service.js'
import type {ServerDeps} from '../deps.js'
import {seenLongAgo} from '../device-seen.js'
import {HttpError} from '../errors/http-error.js'

/** How a family recognises the device behind a request. */
export interface DeviceClaim {
  /** The serial (or service tag id) the request names: recorded as refused when nobody has it. */
  serial: string | null
  /** The device the request names (looked up through the store port), or undefined when there is none. */
  find(): Promise<Device | undefined>
  /** The family's 401 for a request that names no known device (its own wording and format). */
  unknown(): HttpError
  /** Checks the credential a found device must present (a token); throws the family's 401. */
  verify?(device: Device): void
}

export interface DevicePolicy {
  /**
   * Whether an inactive device is refused (403): punches are, but a heartbeat or a validity check
   * is how an inactive device learns it is inactive.
   */
  active: boolean
  /** Push-log terminals must be in push mode (a terminal in pull mode must not push: see docs/architecture.md, "Families"). */
  pushMode?: boolean
}

/**
 * Authenticates the device behind a request, the same way for every device family: the failed
 * attempt budget of the client address and the device's own rate limit (DeviceGuard), the device's
 * source-address allow-list, then its status. Unknown serials are recorded for `attend devices
 * list`; the device's last-seen time is updated. Both writes go through the store port (on SQLite,
 * the server's group commit) without being waited for. Throws HttpErrors the family renders in its own format.
 */
export async function authenticateDevice(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, claim: DeviceClaim, policy: DevicePolicy): Promise<Device> {
  const devices = request.server.attendStore.devices
  const device = await request.server.deviceGuard.identify(request, reply, async () => {
    const found = await claim.find()
    if (!found) {
      const serial = claim.serial
      if (serial) {
        const seen = {serial, remoteAddress: request.ip, route: request.routeOptions.url ?? null}
        const now = deps.now()
        devices.recordRefused(seen, now).catch((error: unknown) => request.log.warn({err: error}, 'could not record a refused device'))
        request.log.warn({serial: serial.slice(0, 64)}, 'request from an unregistered device refused')
      }
      throw claim.unknown()
    }
    claim.verify?.(found)
    return found
  })
  if (!addressAllowed(device.allowFrom, request.socket.remoteAddress)) {
    request.log.warn({serial: device.serial, address: request.socket.remoteAddress}, 'device request from an address outside its allow-list')
    throw new HttpError(
      403,
      'address_not_allowed',
      `Device ${device.serial} may not connect from ${request.socket.remoteAddress ?? 'this address'}: it is allowed only from ${describeAllowFrom(device.allowFrom)} (attend devices update ${device.serial} --allow-from).`,
    )
  }
  markSeen(deps, request, device)
  if (policy.active && device.status !== 'active') throw inactive(device)
  if (policy.pushMode && device.mode !== 'push') {
    throw new HttpError(403, 'device_not_push', `Device ${device.serial} is in ${device.mode} mode: set its sync mode to push (attend devices update ${device.serial} --mode push) before it pushes logs.`)
  }
  return device
}

/** One phrasing for an inactive device, in every family. */
export function inactive(device: Pick<Device, 'serial'>): HttpError {
  return new HttpError(403, 'device_inactive', `Device ${device.serial} is inactive: its punches are refused until it is reactivated (attend devices update ${device.serial} --status active).`)
}

function markSeen(deps: ServerDeps, request: FastifyRequest, device: Device): void {
  const now = deps.now()
  if (!seenLongAgo(device, now)) return
  request.server.attendStore.devices.markSeen(device.id, now).catch((error: unknown) => request.log.warn({err: error}, 'could not mark a device seen'))
}
