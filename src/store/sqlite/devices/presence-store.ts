import type {Store} from '../../../db/open.js'
import {perConnection} from '../../../db/prepared.js'
import {siteSettings} from '../settings.js'
import {queueEvents} from '../webhooks/outbox.js'
import {presenceAt, transitionsOnCheck, transitionsOnSeen, type Presence, type PresenceState, type PresenceTransition} from '../../../devices/presence.js'
import {getDevice, listDevices} from '../devices.js'
import {presenceEvents, withPresence, type DevicePresenceView} from '../../../devices/presence-view.js'

/**
 * Presence in the store. A transition is written with a compare-and-set on the presence and
 * last-seen time that were read, in the transaction that queues its `device.status_changed`: when
 * two processes (`attend serve` and a cron `attend webhooks deliver`, or two servers) notice the
 * same transition, one update matches and the other changes nothing, so the event is queued once.
 * The same statement works on PostgreSQL, where the losing update waits for the row and then finds
 * it changed.
 */

const statements = perConnection((sqlite) => ({
  // The common case, one statement: an online device seen again within its window.
  stillOnline: sqlite.prepare(
    `UPDATE devices SET last_seen_at = max(last_seen_at, @now) WHERE id = @id AND presence = 'online' AND last_seen_at >= @now - @window`,
  ),
  read: sqlite.prepare('SELECT presence, last_seen_at AS lastSeenAt FROM devices WHERE id = ?'),
  touch: sqlite.prepare('UPDATE devices SET last_seen_at = max(coalesce(last_seen_at, @now), @now) WHERE id = @id'),
  compareAndSet: sqlite.prepare(
    `UPDATE devices SET presence = @presence, presence_changed_at = @changedAt, last_seen_at = @lastSeenAt
     WHERE id = @id AND presence IS @oldPresence AND last_seen_at IS @oldLastSeenAt`,
  ),
  lapsed: sqlite.prepare(`SELECT id, presence, last_seen_at AS lastSeenAt FROM devices WHERE presence = 'online' AND last_seen_at < ?`),
}))

/** The offline delay in force (`attend config set device-offline-after`), in ms. */
export function offlineAfterMs(store: Store): number {
  return siteSettings(store).deviceOfflineAfterMinutes * 60_000
}

/**
 * The device was seen at `now` (a request, a heartbeat, a poll, a pull): records it, and announces
 * the device coming online when it was offline or never seen. Runs in the caller's transaction (a
 * group-commit job on the server) or its own.
 */
export function markDeviceSeen(store: Store, deviceId: number, now: number): void {
  const windowMs = offlineAfterMs(store)
  const s = statements(store)
  if (s.stillOnline.run({id: deviceId, now, window: windowMs}).changes === 1) return
  const work = () => {
    // Another process may change the row between our read and our write only outside SQLite's
    // single writer (PostgreSQL): the compare-and-set then misses, and we read again.
    for (let tries = 0; tries < 3; tries++) {
      const state = s.read.get(deviceId) as PresenceState | undefined
      if (!state) return
      const transitions = transitionsOnSeen(state, now, windowMs)
      const lastSeenAt = Math.max(state.lastSeenAt ?? now, now)
      const changedAt = transitions.at(-1)?.at ?? null
      const next = {
        id: deviceId,
        presence: transitions.length > 0 ? 'online' : state.presence,
        changedAt,
        lastSeenAt,
        oldPresence: state.presence,
        oldLastSeenAt: state.lastSeenAt,
      }
      if (transitions.length === 0) {
        // Online and within the window after all (a concurrent sighting): only the time moves.
        s.touch.run({id: deviceId, now})
        return
      }
      if (s.compareAndSet.run(next).changes === 1) {
        announce(store, deviceId, transitions, now)
        return
      }
    }
  }
  if (store.sqlite.inTransaction) work()
  else store.transaction(work)
}

/**
 * Announces every online device whose window ran out as offline (`attend serve` on a timer, and
 * `attend webhooks deliver`). Returns how many went offline.
 */
export function sweepPresence(store: Store, now: number, windowMs = offlineAfterMs(store)): number {
  const s = statements(store)
  const work = () => {
    let changed = 0
    for (const row of s.lapsed.all(now - windowMs) as (PresenceState & {id: number})[]) {
      const transitions = transitionsOnCheck(row, now, windowMs)
      if (transitions.length === 0) continue
      const done = s.compareAndSet.run({
        id: row.id, presence: 'offline', changedAt: transitions[0].at, lastSeenAt: row.lastSeenAt,
        oldPresence: row.presence, oldLastSeenAt: row.lastSeenAt,
      })
      if (done.changes !== 1) continue
      announce(store, row.id, transitions, now)
      changed++
    }
    return changed
  }
  return store.sqlite.inTransaction ? work() : store.transaction(work)
}

function announce(store: Store, deviceId: number, transitions: readonly PresenceTransition[], now: number): void {
  const device = getDevice(store, deviceId)
  if (device) queueEvents(store, presenceEvents(device, transitions), now)
}

export function listDevicesWithPresence(store: Store, now: number): DevicePresenceView[] {
  const windowMs = offlineAfterMs(store)
  return listDevices(store).map((device) => withPresence(device, now, windowMs))
}

export function devicePresence(store: Store, lastSeenAt: number | null, now: number): Presence | null {
  return presenceAt(lastSeenAt, now, offlineAfterMs(store))
}
