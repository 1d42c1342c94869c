import type pg from 'pg'

import type {apiKeys} from '../../../db/schema.js'
import type {PgDatabase} from '../../../db/pg/open.js'
import {hashSecret} from '../../../devices/token.js'
import {ambiguousKey, apiKeyMatch, keyNameTaken, keyRecord, newKeySecret, unknownKey, verifiedKey} from '../../../keys/service.js'
import type {Directory} from '../../directory.js'
import {inTransaction} from '../transaction.js'

type KeyRow = typeof apiKeys.$inferSelect

const KEY_COLUMNS = 'id, name, prefix, hash, scopes, limits, last_used_at AS "lastUsedAt", created_at AS "createdAt", revoked_at AS "revokedAt"'

async function keysNamed(client: pg.ClientBase, name: string, prefix: string, activeOnly: boolean): Promise<KeyRow[]> {
  const {rows} = await client.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_keys WHERE (name = $1 OR prefix = $2)${activeOnly ? ' AND revoked_at IS NULL' : ''} ORDER BY id FOR UPDATE`,
    [name, prefix],
  )
  return rows
}

/**
 * API keys on PostgreSQL. Creating one under a name holds a transaction-scoped advisory lock on
 * the name, so two servers creating the same name cannot both find it free.
 */
export function pgApiKeys(database: PgDatabase): Pick<Directory, 'createApiKey' | 'authenticateApiKey' | 'touchApiKey' | 'listApiKeys' | 'revokeApiKey'> {
  const {pool} = database
  return {
    createApiKey: (input, now) =>
      inTransaction(pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('attend:api-key:' || $1))", [input.name])
        const clash = await client.query<{prefix: string}>('SELECT prefix FROM api_keys WHERE name = $1 AND revoked_at IS NULL', [input.name])
        if (clash.rows[0]) throw keyNameTaken(input.name, clash.rows[0].prefix)
        for (;;) {
          const secret = newKeySecret()
          const {rows} = await client.query<KeyRow>(
            `INSERT INTO api_keys (name, prefix, hash, scopes, limits, created_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (prefix) DO NOTHING RETURNING ${KEY_COLUMNS}`,
            [input.name, secret.prefix, hashSecret(secret.key), JSON.stringify(input.scopes), JSON.stringify(input.limits), now],
          )
          // A prefix already taken (one chance in four billion per key): draw another.
          if (rows[0]) return {key: secret.key, record: keyRecord(rows[0])}
        }
      }),

    async authenticateApiKey(presented) {
      const match = apiKeyMatch(presented)
      if (!match) return undefined
      const {rows} = await pool.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE prefix = $1`, [match.prefix])
      return verifiedKey(rows[0], match.key)
    },

    async touchApiKey(id, now) {
      await pool.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [id, now])
    },

    async listApiKeys(options) {
      const {rows} = await pool.query<KeyRow>(
        `SELECT ${KEY_COLUMNS} FROM api_keys ${options.includeRevoked === false ? 'WHERE revoked_at IS NULL' : ''} ORDER BY created_at, id`,
      )
      return rows.map(keyRecord)
    },

    revokeApiKey: (nameOrPrefix, now) =>
      inTransaction(pool, async (client) => {
        const wanted = nameOrPrefix.trim()
        const prefix = apiKeyMatch(wanted)?.prefix ?? wanted.toLowerCase()
        const active = await keysNamed(client, wanted, prefix, true)
        if (active.length === 0) throw unknownKey(nameOrPrefix, (await keysNamed(client, wanted, prefix, false))[0])
        if (active.length > 1) throw ambiguousKey(nameOrPrefix, active)
        const {rows} = await client.query<KeyRow>(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1 RETURNING ${KEY_COLUMNS}`, [active[0].id, now])
        return keyRecord(rows[0])
      }),
  }
}
