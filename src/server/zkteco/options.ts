import {eq} from 'drizzle-orm'

import type {Store} from '../../db/open.js'
import {devices} from '../../db/schema.js'

/**
 * `POST /iclock/cdata?table=options` bodies: `Key=Value,Key=Value` (some firmware puts one pair per
 * line or prefixes keys with `~`, as in `~DeviceName=SpeedFace-V5L`). Values never contain commas.
 */
export function parseDeviceOptions(text: string): Record<string, string> {
  const options: Record<string, string> = {}
  for (const pair of text.split(/[,\n]/)) {
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const key = pair.slice(0, eq).trim()
    if (key) options[key] = pair.slice(eq + 1).trim()
  }
  return options
}

/** Merges what the device reported into `devices.options` (keys it did not send this time stay). */
export function saveDeviceOptions(store: Store, deviceId: number, reported: Record<string, string>, now: number): Record<string, string> {
  return store.transaction(() => {
    const row = store.db.select({options: devices.options}).from(devices).where(eq(devices.id, deviceId)).get()
    const merged = {...readOptions(row?.options ?? null), ...reported}
    store.db.update(devices).set({options: JSON.stringify(merged), updatedAt: now}).where(eq(devices.id, deviceId)).run()
    return merged
  })
}

function readOptions(json: string | null): Record<string, string> {
  if (!json) return {}
  try {
    const value: unknown = JSON.parse(json)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {}
  } catch {
    return {}
  }
}
