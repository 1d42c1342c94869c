import {and, asc, eq, isNull, or} from 'drizzle-orm'

import type {Store} from '../../../db/open.js'
import {apiKeys} from '../../../db/schema.js'
import {hashSecret} from '../../../devices/token.js'
import {
  ambiguousKey,
  apiKeyMatch,
  keyNameTaken,
  keyRecord,
  newKeySecret,
  normalizeApiKeyInput,
  unknownKey,
  verifiedKey,
  type ApiKeyInput,
  type ApiKeyRecord,
} from '../../../keys/service.js'

/** Creates an API key (input validated here too, so test set-ups may pass it raw); the key is returned once. */
export function createApiKey(store: Store, input: ApiKeyInput, now: number): {key: string; record: ApiKeyRecord} {
  const values = normalizeApiKeyInput(input)
  return store.transaction(() => {
    const clash = store.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.name, values.name), isNull(apiKeys.revokedAt)))
      .get()
    if (clash) throw keyNameTaken(values.name, clash.prefix)
    let secret = newKeySecret()
    while (store.db.select({id: apiKeys.id}).from(apiKeys).where(eq(apiKeys.prefix, secret.prefix)).get()) secret = newKeySecret()
    const row = store.db
      .insert(apiKeys)
      .values({
        name: values.name,
        prefix: secret.prefix,
        hash: hashSecret(secret.key),
        scopes: JSON.stringify(values.scopes),
        limits: JSON.stringify(values.limits),
        createdAt: now,
      })
      .returning()
      .get()
    return {key: secret.key, record: keyRecord(row)}
  })
}

export function authenticateApiKey(store: Store, presented: string): ApiKeyRecord | undefined {
  const match = apiKeyMatch(presented)
  if (!match) return undefined
  return verifiedKey(store.db.select().from(apiKeys).where(eq(apiKeys.prefix, match.prefix)).get(), match.key)
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
    .map(keyRecord)
}

/** Revokes the active key with this name or prefix; an `att_…` key itself is accepted too. */
export function revokeApiKey(store: Store, nameOrPrefix: string, now: number): ApiKeyRecord {
  const wanted = nameOrPrefix.trim()
  const prefix = apiKeyMatch(wanted)?.prefix ?? wanted.toLowerCase()
  return store.transaction(() => {
    const named = or(eq(apiKeys.name, wanted), eq(apiKeys.prefix, prefix))
    const rows = store.db.select().from(apiKeys).where(and(named, isNull(apiKeys.revokedAt))).all()
    if (rows.length === 0) throw unknownKey(nameOrPrefix, store.db.select().from(apiKeys).where(named).get())
    if (rows.length > 1) throw ambiguousKey(nameOrPrefix, rows)
    return keyRecord(store.db.update(apiKeys).set({revokedAt: now}).where(eq(apiKeys.id, rows[0].id)).returning().get())
  })
}
