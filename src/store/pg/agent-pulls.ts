import {pullViewOf, type DevicePull} from '../../agent/lease.js'
import type {PgDatabase} from '../../db/pg/open.js'
import type {AgentPulls} from '../agent-pulls.js'

/**
 * Agent pulls on PostgreSQL, where pollers of several servers ask for the same terminals. Taking a
 * lease is one upsert whose update applies only when the lease is free, ours or lapsed: concurrent
 * upserts of one device queue on its row and each re-checks the condition on the row the one before
 * left, so one of them wins.
 */
export function pgAgentPulls(database: PgDatabase): AgentPulls {
  const {pool} = database
  return {
    async acquireLease(deviceId, owner, now, ttlMs) {
      const taken = await pool.query(
        `INSERT INTO device_pulls (device_id, lease_owner, lease_until) VALUES ($1, $2, $3)
         ON CONFLICT (device_id) DO UPDATE SET lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
         WHERE device_pulls.lease_owner IS NULL OR device_pulls.lease_owner = $2 OR device_pulls.lease_until < $4
         RETURNING device_id`,
        [deviceId, owner, now + ttlMs, now],
      )
      if (taken.rowCount === 1) return {ok: true}
      const held = await pool.query<{until: number}>('SELECT lease_until AS until FROM device_pulls WHERE device_id = $1', [deviceId])
      return {ok: false, until: held.rows[0].until}
    },

    async renewLease(deviceId, owner, now, ttlMs) {
      const renewed = await pool.query('UPDATE device_pulls SET lease_until = $1 WHERE device_id = $2 AND lease_owner = $3', [now + ttlMs, deviceId, owner])
      return renewed.rowCount === 1
    },

    async releaseLease(deviceId, owner) {
      await pool.query('UPDATE device_pulls SET lease_owner = NULL, lease_until = NULL WHERE device_id = $1 AND lease_owner = $2', [deviceId, owner])
    },

    async lastPull(deviceId) {
      const {rows} = await pool.query<DevicePull>(
        `SELECT device_id AS "deviceId", lease_owner AS "leaseOwner", lease_until AS "leaseUntil", last_pull_at AS "lastPullAt", last_error AS "lastError",
           last_success_at AS "lastSuccessAt", records_read AS "recordsRead", records_new AS "recordsNew", duplicates, rejected, users, duration_ms AS "durationMs"
         FROM device_pulls WHERE device_id = $1`,
        [deviceId],
      )
      return pullViewOf(rows[0])
    },

    async recordPull(deviceId, outcome) {
      // The columns this outcome sets, as SQLite's upsert does: a failure keeps the last success and
      // its counts; a success without counts keeps the counts it had.
      const values: Record<string, unknown> =
        outcome.error === null ? {last_pull_at: outcome.at, last_error: null, last_success_at: outcome.at} : {last_pull_at: outcome.at, last_error: outcome.error}
      if (outcome.error === null && outcome.counts) {
        const c = outcome.counts
        Object.assign(values, {records_read: c.recordsRead, records_new: c.recordsNew, duplicates: c.duplicates, rejected: c.rejected, users: c.users, duration_ms: c.durationMs})
      }
      const columns = Object.keys(values)
      await pool.query(
        `INSERT INTO device_pulls (device_id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
         ON CONFLICT (device_id) DO UPDATE SET ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`,
        [deviceId, ...Object.values(values)],
      )
    },
  }
}
