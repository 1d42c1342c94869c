import crypto from 'node:crypto'
import {eq, sql} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {devices} from '../db/schema.js'
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

/** The device with this serial if `token` is its current token. Status and mode are the caller's business. */
export function verifyDeviceToken(store: Store, serial: string, token: string): Device | undefined {
  const device = store.db.select().from(devices).where(eq(devices.serial, serial)).get()
  if (!device?.tokenHash || !token) return undefined
  return sameHash(hashSecret(token), device.tokenHash) ? device : undefined
}

const byPrefix = new WeakMap<Store['sqlite'], {all(params: {prefix: string}): Device[]}>()

/** The device whose current token this is (push-log `Authorization: Bearer <device token>`). */
export function findDeviceByToken(store: Store, token: string): Device | undefined {
  if (token.length <= PREFIX_LENGTH) return undefined
  let query = byPrefix.get(store.sqlite)
  if (!query) {
    // Prepared once per connection: push-log terminals present their token on every request.
    query = store.db.select().from(devices).where(eq(devices.tokenPrefix, sql.placeholder('prefix'))).prepare()
    byPrefix.set(store.sqlite, query)
  }
  const hash = hashSecret(token)
  return query.all({prefix: token.slice(0, PREFIX_LENGTH)}).find((d) => d.tokenHash !== null && sameHash(hash, d.tokenHash))
}
