import type {Store} from '../../db/open.js'
import {sweepPresence} from './devices/presence-store.js'
import type {Writes} from './writes.js'
import type {DevicePresence} from '../device-presence.js'

/** Device presence on SQLite: the compare-and-set of `src/store/sqlite/devices/presence-store.ts`, written through `writes`. */
export function sqliteDevicePresence(store: Store, writes: Writes): DevicePresence {
  return {
    sweep: (now, windowMs) => writes.run(() => sweepPresence(store, now, windowMs)),
  }
}
