import type {Store} from '../db/open.js'

/** A serial punches were stored under (an imported terminal export) that no registered device has. */
export interface UnregisteredSerial {
  serial: string
  /** Where its punches came from, e.g. `import:csv`; the first in name order when there are several. */
  source: string
  punches: number
  /** UTC ms. */
  firstPunchAt: number
  lastPunchAt: number
}

/**
 * Serials that punches name but no device is registered under, latest punch first. Their punches
 * are stored and count for the employees they map to; the serial is listed so an admin registers
 * it (its zone, direction and token) instead of never learning it exists. Reads only the
 * `punches_unregistered_serial_idx` partial index: punches without a serial carry their source as
 * the key and are not in it (docs/architecture.md, "Devices").
 */
export function listUnregisteredSerials(store: Store): UnregisteredSerial[] {
  return store.sqlite
    .prepare(
      `SELECT device_key AS serial, min(source) AS source, count(*) AS punches, min(instant) AS firstPunchAt, max(instant) AS lastPunchAt
       FROM punches WHERE device_id IS NULL AND device_key <> source AND device_key NOT IN (SELECT serial FROM devices)
       GROUP BY device_key ORDER BY lastPunchAt DESC, serial`,
    )
    .all() as UnregisteredSerial[]
}
