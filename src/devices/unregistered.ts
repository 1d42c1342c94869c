import type {AttendStore} from '../store/port.js'

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
export function listUnregisteredSerials(store: AttendStore): Promise<UnregisteredSerial[]> {
  return store.devices.unregisteredSerials()
}
