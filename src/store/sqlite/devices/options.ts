import {eq} from 'drizzle-orm'

import type {Store} from '../../../db/open.js'
import {devices} from '../../../db/schema.js'

/**
 * Replaces `devices.options` with what the device reported: its current options, not the union of
 * everything it ever sent.
 */
export function saveDeviceOptions(store: Store, deviceId: number, reported: Record<string, string>, now: number): void {
  store.db.update(devices).set({options: JSON.stringify(reported), updatedAt: now}).where(eq(devices.id, deviceId)).run()
}
