import {createHmac, randomBytes} from 'node:crypto'

import {UsageError} from '../errors.js'

/**
 * Standard Webhooks signing (docs/architecture.md, "Webhooks"): a secret is `whsec_` and the base64
 * of its key bytes; each request is signed with HMAC-SHA256 over `id.timestamp.body`, sent as
 * `webhook-signature: v1,<base64>` — several space-separated while a rotated-out secret still
 * signs. Pure; the reference library (standardwebhooks on npm) verifies these in the tests.
 */

const PREFIX = 'whsec_'
/** The specification asks for keys of 24 to 64 bytes; attend generates 32. */
const MIN_KEY_BYTES = 24
const MAX_KEY_BYTES = 64

export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64')
}

/** A secret given with `--secret`, checked: `whsec_` and the base64 of 24 to 64 bytes. */
export function parseSecret(value: string): string {
  const text = value.trim()
  const fail = (why: string) =>
    new UsageError(`Invalid --secret: ${why}. Give whsec_ followed by the base64 of 24 to 64 random bytes, or leave --secret out and attend generates one.`, 'invalid_secret')
  if (!text.startsWith(PREFIX)) throw fail('it must start with whsec_')
  const encoded = text.slice(PREFIX.length)
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw fail('what follows whsec_ is not base64')
  const bytes = Buffer.from(encoded, 'base64').length
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) throw fail(`it holds ${bytes} bytes`)
  return text
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')
  return `v1,${mac}`
}

export interface SignedHeaders {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** The three Standard Webhooks headers of one attempt, signed with every secret given (current first). */
export function signedHeaders(secrets: readonly string[], id: string, timestampSeconds: number, body: string): SignedHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((secret) => sign(secret, id, timestampSeconds, body)).join(' '),
  }
}

/** The secrets that sign at `now`: the current one, and the previous one until its grace period ends. */
export function signingSecrets(endpoint: {secret: string; previousSecret: string | null; previousSecretUntil: number | null}, now: number): string[] {
  const secrets = [endpoint.secret]
  if (endpoint.previousSecret && endpoint.previousSecretUntil !== null && now < endpoint.previousSecretUntil) secrets.push(endpoint.previousSecret)
  return secrets
}
