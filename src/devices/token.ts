import crypto from 'node:crypto'
import type {Device} from './service.js'

const PREFIX_LENGTH = 8

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** Compares two hex sha256 digests in constant time (length is public: always 64). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && left.length > 0 && crypto.timingSafeEqual(left, right)
}

/**
 * A fresh device token: 32 random bytes as base64url (43 characters, fits the auth-token field of
 * CAMS and the Bearer header of push-mode terminals). Only `hash` is stored; `prefix` lets a Bearer
 * token find its device without scanning every hash.
 */
export function generateDeviceToken(): {token: string; hash: string; prefix: string} {
  const token = crypto.randomBytes(32).toString('base64url')
  return {token, hash: hashSecret(token), prefix: token.slice(0, PREFIX_LENGTH)}
}

/** Whether `token` is the device's current token. Status and mode are the caller's business. */
export function tokenVerifies(device: Pick<Device, 'tokenHash'> | undefined, token: string): boolean {
  if (!device?.tokenHash || !token) return false
  return sameHash(hashSecret(token), device.tokenHash)
}

/** The prefix a presented token finds its device by; null for a token too short to be one. */
export function tokenPrefixOf(token: string): string | null {
  return token.length <= PREFIX_LENGTH ? null : token.slice(0, PREFIX_LENGTH)
}

/** Of the devices whose token starts as `token` does, the one whose token it is. */
export function tokenMatch<D extends Pick<Device, 'tokenHash'>>(candidates: readonly D[], token: string): D | undefined {
  const hash = hashSecret(token)
  return candidates.find((d) => d.tokenHash !== null && sameHash(hash, d.tokenHash))
}
