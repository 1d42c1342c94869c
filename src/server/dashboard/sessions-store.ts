/**
 * The status page's sessions in the store (`dashboard_sessions`): kept by the SHA-256 of the
 * session id, never the id itself. The server writes them through group commit.
 */
import {eq, lte} from 'drizzle-orm'

import type {Store} from '../../db/open.js'
import {apiKeys, dashboardSessions} from '../../db/schema.js'
import type {ApiScope} from '../../keys/service.js'

export interface StoredSession {
  apiKeyId: number
  keyName: string
  keyScopes: ApiScope[]
  keyRevokedAt: number | null
  createdAt: number
  expiresAt: number
}

export function insertSession(store: Store, session: {idHash: string; apiKeyId: number; createdAt: number; expiresAt: number}): void {
  store.db.insert(dashboardSessions).values(session).run()
}

/** The session and the API key behind it (revoked or not: the caller decides). */
export function findSession(store: Store, idHash: string): StoredSession | undefined {
  const row = store.db
    .select({
      apiKeyId: dashboardSessions.apiKeyId,
      keyName: apiKeys.name,
      keyScopes: apiKeys.scopes,
      keyRevokedAt: apiKeys.revokedAt,
      createdAt: dashboardSessions.createdAt,
      expiresAt: dashboardSessions.expiresAt,
    })
    .from(dashboardSessions)
    .innerJoin(apiKeys, eq(apiKeys.id, dashboardSessions.apiKeyId))
    .where(eq(dashboardSessions.idHash, idHash))
    .get()
  return row && {...row, keyScopes: JSON.parse(row.keyScopes) as ApiScope[]}
}

export function extendSession(store: Store, idHash: string, expiresAt: number): void {
  store.db.update(dashboardSessions).set({expiresAt}).where(eq(dashboardSessions.idHash, idHash)).run()
}

export function deleteSession(store: Store, idHash: string): void {
  store.db.delete(dashboardSessions).where(eq(dashboardSessions.idHash, idHash)).run()
}

/** Sessions past their expiry are of no use to anyone: removed when someone signs in. */
export function deleteExpiredSessions(store: Store, now: number): void {
  store.db.delete(dashboardSessions).where(lte(dashboardSessions.expiresAt, now)).run()
}
