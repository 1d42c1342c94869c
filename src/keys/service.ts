import crypto from 'node:crypto'

import type {apiKeys} from '../db/schema.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {hashSecret, sameHash} from '../devices/token.js'
import type {AttendStore} from '../store/port.js'

export const apiScopes = ['ingest', 'read', 'admin'] as const
export type ApiScope = (typeof apiScopes)[number]
export const rateWindows = ['second', 'minute', 'hour', 'day'] as const
export type RateLimit = {max: number; window: (typeof rateWindows)[number]}

export interface ApiKeyRecord {
  id: number
  name: string
  prefix: string
  scopes: ApiScope[]
  limits: RateLimit[]
  lastUsedAt: number | null
  createdAt: number
  revokedAt: number | null
}

export const defaultScopes: ApiScope[] = ['ingest', 'read']
export const defaultLimits: RateLimit[] = [
  {max: 1000, window: 'hour'},
  {max: 10000, window: 'day'},
]

const PREFIX_BYTES = 4
const KEY = /^att_([0-9a-f]{8})_([A-Za-z0-9_-]{20,})$/

const windowAliases: Record<string, RateLimit['window']> = {
  s: 'second', sec: 'second', second: 'second', seconds: 'second',
  m: 'minute', min: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hr: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', day: 'day', days: 'day',
}

/** `100/minute` → {max: 100, window: 'minute'}. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^\s*(\d+)\s*\/\s*([a-z]+)\s*$/i.exec(text)
  const window = match ? windowAliases[match[2].toLowerCase()] : undefined
  const max = match ? Number(match[1]) : 0
  if (!match || !window || !Number.isSafeInteger(max) || max < 1) {
    throw new UsageError(`Invalid rate limit "${text}": expected COUNT/WINDOW such as 100/minute (windows: second, minute, hour, day).`, 'invalid_limit')
  }
  return {max, window}
}

/** `ingest,read` → ['ingest', 'read'], in canonical order. */
export function parseScopes(text: string): ApiScope[] {
  const parts = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
  if (parts.length === 0) throw new UsageError(`Invalid scopes "${text}": expected a comma-separated list of ${apiScopes.join(', ')}.`, 'invalid_scope')
  for (const part of parts) {
    if (!(apiScopes as readonly string[]).includes(part)) {
      throw new UsageError(`Unknown scope "${part}": expected ${apiScopes.join(', ')}.`, 'invalid_scope')
    }
  }
  return apiScopes.filter((s) => parts.includes(s))
}

function validateKeyName(value: string): string {
  const name = value.trim()
  if (!name) throw new UsageError('The API key name cannot be empty.', 'invalid_name')
  if (name.length > 100) throw new UsageError(`The API key name "${name.slice(0, 40)}…" is longer than 100 characters.`, 'invalid_name')
  return name
}

/** A stored row as the record callers see (scopes and limits parsed). */
export function keyRecord(row: Omit<typeof apiKeys.$inferSelect, 'hash'>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as ApiScope[],
    limits: JSON.parse(row.limits) as RateLimit[],
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  }
}

/** A presented key's prefix (what finds its row) if it has the shape of an attend key. */
export function apiKeyMatch(presented: string): {key: string; prefix: string} | undefined {
  const key = presented.trim()
  const match = KEY.exec(key)
  return match ? {key, prefix: match[1]} : undefined
}

/** The record of `row` if `key` is it and it is not revoked; the hashes are compared in constant time. */
export function verifiedKey(row: typeof apiKeys.$inferSelect | undefined, key: string): ApiKeyRecord | undefined {
  if (!row || !sameHash(hashSecret(key), row.hash) || row.revokedAt !== null) return undefined
  return keyRecord(row)
}

/** A fresh key `att_<prefix>_<secret>`: the prefix (8 hex characters) is what listings show. */
export function newKeySecret(): {key: string; prefix: string} {
  const prefix = crypto.randomBytes(PREFIX_BYTES).toString('hex')
  return {prefix, key: `att_${prefix}_${crypto.randomBytes(32).toString('base64url')}`}
}

export function keyNameTaken(name: string, prefix: string): ConflictError {
  return new ConflictError(`An active API key named "${name}" already exists (prefix ${prefix}): revoke it or choose another name.`)
}

/** Nothing active to revoke: already revoked (`revoked`), or no such key. */
export function unknownKey(nameOrPrefix: string, revoked: {prefix: string} | undefined): ConflictError | NotFoundError {
  if (revoked) return new ConflictError(`The API key "${nameOrPrefix}" (prefix ${revoked.prefix}) is already revoked.`)
  return new NotFoundError(`No API key named or prefixed "${nameOrPrefix}": see attend keys list.`)
}

export function ambiguousKey(nameOrPrefix: string, rows: readonly {prefix: string}[]): UsageError {
  return new UsageError(`"${nameOrPrefix}" matches ${rows.length} keys (${rows.map((r) => r.prefix).join(', ')}): revoke by prefix.`)
}

export interface ApiKeyInput {
  name: string
  scopes?: ApiScope[]
  limits?: RateLimit[]
}

/** Validates a new key's name, scopes and limits (defaults for those not given). */
export function normalizeApiKeyInput(input: ApiKeyInput): Required<ApiKeyInput> {
  const scopes = input.scopes && input.scopes.length > 0 ? parseScopes(input.scopes.join(',')) : defaultScopes
  const limits = input.limits && input.limits.length > 0 ? input.limits : defaultLimits
  const windows = new Set<string>()
  for (const limit of limits) {
    if (windows.has(limit.window)) throw new UsageError(`Two rate limits per ${limit.window}: give each window once.`, 'invalid_limit')
    windows.add(limit.window)
  }
  return {name: validateKeyName(input.name), scopes, limits}
}

/**
 * Creates an API key `att_<prefix>_<secret>`; the key is returned once, only its sha256 is kept.
 * Validated first, so a typo never opens (or creates) the store.
 */
export async function createApiKey(store: AttendStore, input: ApiKeyInput, now: number): Promise<{key: string; record: ApiKeyRecord}> {
  return store.directory.createApiKey(normalizeApiKeyInput(input), now)
}

export function listApiKeys(store: AttendStore, options: {includeRevoked?: boolean} = {}): Promise<ApiKeyRecord[]> {
  return store.directory.listApiKeys(options)
}

/** Revokes the active key with this name or prefix; an `att_…` key itself is accepted too. */
export function revokeApiKey(store: AttendStore, nameOrPrefix: string, now: number): Promise<ApiKeyRecord> {
  return store.directory.revokeApiKey(nameOrPrefix, now)
}

/** `100/minute, 1000/hour` for listings. */
export function describeLimits(record: Pick<ApiKeyRecord, 'limits'>): string {
  return record.limits.map((l) => `${l.max}/${l.window}`).join(', ')
}
