import crypto from 'node:crypto'
import {and, asc, eq, isNull, or} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {apiKeys} from '../db/schema.js'
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {hashSecret, sameHash} from '../devices/token.js'

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

function toRecord(row: typeof apiKeys.$inferSelect): ApiKeyRecord {
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

export interface ApiKeyInput {
  name: string
  scopes?: ApiScope[]
  limits?: RateLimit[]
}

function normalizeInput(input: ApiKeyInput): Required<ApiKeyInput> {
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
 * The prefix (8 hex characters) is what listings show and what finds the row when a key is presented.
 */
export function createApiKey(store: Store, input: ApiKeyInput, now: number): {key: string; record: ApiKeyRecord} {
  const values = normalizeInput(input)
  return store.transaction(() => {
    const clash = store.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.name, values.name), isNull(apiKeys.revokedAt)))
      .get()
    if (clash) throw new ConflictError(`An active API key named "${values.name}" already exists (prefix ${clash.prefix}): revoke it or choose another name.`)
    let prefix: string
    do prefix = crypto.randomBytes(PREFIX_BYTES).toString('hex')
    while (store.db.select({id: apiKeys.id}).from(apiKeys).where(eq(apiKeys.prefix, prefix)).get())
    const key = `att_${prefix}_${crypto.randomBytes(32).toString('base64url')}`
    const row = store.db
      .insert(apiKeys)
      .values({
        name: values.name,
        prefix,
        hash: hashSecret(key),
        scopes: JSON.stringify(values.scopes),
        limits: JSON.stringify(values.limits),
        createdAt: now,
      })
      .returning()
      .get()
    return {key, record: toRecord(row)}
  })
}

/** `keys create`: validates first, so a typo never opens (or creates) the store. */
export function addApiKey(openStore: () => Store, input: ApiKeyInput, now: number): {key: string; record: ApiKeyRecord} {
  normalizeInput(input)
  return createApiKey(openStore(), input, now)
}

/** The key's record if `presented` is a current (not revoked) key; constant-time hash comparison. */
export function authenticateApiKey(store: Store, presented: string): ApiKeyRecord | undefined {
  const match = KEY.exec(presented.trim())
  if (!match) return undefined
  const row = store.db.select().from(apiKeys).where(eq(apiKeys.prefix, match[1])).get()
  if (!row || !sameHash(hashSecret(presented.trim()), row.hash) || row.revokedAt !== null) return undefined
  return toRecord(row)
}

export function touchApiKey(store: Store, id: number, now: number): void {
  store.db.update(apiKeys).set({lastUsedAt: now}).where(eq(apiKeys.id, id)).run()
}

export function listApiKeys(store: Store, options: {includeRevoked?: boolean} = {}): ApiKeyRecord[] {
  return store.db
    .select()
    .from(apiKeys)
    .where(options.includeRevoked === false ? isNull(apiKeys.revokedAt) : undefined)
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    .all()
    .map(toRecord)
}

/** Revokes the active key with this name or prefix; an `att_…` key itself is accepted too. */
export function revokeApiKey(store: Store, nameOrPrefix: string, now: number): ApiKeyRecord {
  const wanted = nameOrPrefix.trim()
  const prefix = KEY.exec(wanted)?.[1] ?? wanted.toLowerCase()
  return store.transaction(() => {
    const rows = store.db
      .select()
      .from(apiKeys)
      .where(and(or(eq(apiKeys.name, wanted), eq(apiKeys.prefix, prefix)), isNull(apiKeys.revokedAt)))
      .all()
    if (rows.length === 0) {
      const revoked = store.db.select().from(apiKeys).where(or(eq(apiKeys.name, wanted), eq(apiKeys.prefix, prefix))).get()
      if (revoked) throw new ConflictError(`The API key "${nameOrPrefix}" (prefix ${revoked.prefix}) is already revoked.`)
      throw new NotFoundError(`No API key named or prefixed "${nameOrPrefix}": see attend keys list.`)
    }
    if (rows.length > 1) {
      throw new UsageError(`"${nameOrPrefix}" matches ${rows.length} keys (${rows.map((r) => r.prefix).join(', ')}): revoke by prefix.`)
    }
    const row = store.db.update(apiKeys).set({revokedAt: now}).where(eq(apiKeys.id, rows[0].id)).returning().get()
    return toRecord(row)
  })
}

/** `100/minute, 1000/hour` for listings. */
export function describeLimits(record: Pick<ApiKeyRecord, 'limits'>): string {
  return record.limits.map((l) => `${l.max}/${l.window}`).join(', ')
}
