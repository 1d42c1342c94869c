import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import type {Device} from '../../devices/service.js'
import type {RateLimit} from '../../keys/service.js'
import {FAILED_AUTH_BUDGET} from './api-key.js'
import {KeyRateLimiter} from './rate-limit.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The device a device-token family identified (set by the device guard). */
    device: Device | null
  }
  interface FastifyInstance {
    deviceGuard: DeviceGuard
  }
}

/**
 * Requests one device may make per minute. A terminal sends a punch or two a minute at a busy gate
 * and a ZKTeco polls every 10 s; uploading a backlog of months, it posts batches back to back, a
 * few a second on a LAN. A hundred a second is only reached by firmware stuck in a resend loop,
 * which must not starve the other devices of the one writer.
 */
export const DEVICE_RATE_LIMIT: RateLimit = {max: 6000, window: 'minute'}

/**
 * Rate limits for the families that authenticate a device rather than an API key (CAMS HTTP, CAMS callback,
 * 004 and the ZKTeco push protocol): each identified device has its own budget, answered with the
 * same X-RateLimit-* headers as API keys, and an address that keeps presenting unknown serials or
 * wrong tokens is refused for a while without being checked, as with API keys.
 */
export class DeviceGuard {
  private readonly perDevice: KeyRateLimiter
  private readonly failures: KeyRateLimiter

  constructor(
    app: FastifyInstance,
    private readonly limit: RateLimit = DEVICE_RATE_LIMIT,
  ) {
    this.perDevice = new KeyRateLimiter(app, (request) => `device:${request.device?.id ?? 'none'}`)
    this.failures = new KeyRateLimiter(app, (request) => `device-auth-failures:${request.ip}`)
  }

  /**
   * Runs `identify` (which throws when the serial or token is unknown or wrong) under the failed
   * attempt budget, then counts the request against the device's own limit. Status checks
   * (inactive, wrong mode) belong after this: they concern a device that did identify itself.
   */
  async identify(request: FastifyRequest, reply: FastifyReply, identify: () => Promise<Device>): Promise<Device> {
    await this.failures.refuseWhenExhausted(request, FAILED_AUTH_BUDGET, (wait) => `Too many failed device authentications from this address; retry in ${wait} seconds.`)
    let device: Device
    try {
      device = await identify()
    } catch (error) {
      reply.headers(await this.failures.hit(request, FAILED_AUTH_BUDGET))
      throw error
    }
    request.device = device
    const headers = await this.perDevice.consume(request, [this.limit], (limit) => `Rate limit of ${limit.max} requests per ${limit.window} exceeded for device ${device.serial}`)
    reply.headers(headers)
    return device
  }
}
