import {sql} from 'drizzle-orm'

import type {Store} from '../db/open.js'
import {shifts} from '../db/schema.js'
import {unknownShift} from '../errors.js'
import {recomputeAfterSiteRuleChange} from '../store/sqlite/schedules/shifts.js'
import type {AttendStore} from '../store/port.js'
import {
  assertConfigKey,
  configKeys,
  type ConfigKey,
  describeMargin,
  parseConfigValue,
  readSettings,
  settingField,
  writeSettings,
  type SiteSettings,
} from './settings.js'

export interface ConfigEntry {
  key: string
  value: string
}

/** `default-shift` must name an existing shift; returns its stored spelling. */
function existingShiftName(store: Store, name: string): string {
  const row = store.db
    .select({name: shifts.name})
    .from(shifts)
    .where(sql`${shifts.name} = ${name} COLLATE NOCASE`)
    .get()
  if (!row) throw unknownShift(name, 'default-shift')
  return row.name
}

function display(value: SiteSettings[keyof SiteSettings], key?: string): string {
  if (key === 'future-margin' || key === 'device-offline-after' || key === 'webhook-retention') return describeMargin(value as number | null)
  if (Array.isArray(value)) return value.join(',') || 'none'
  if (value === null) return 'none'
  return String(value)
}

/** The keys `attend config get [KEY]` shows: the one named (validated, before any store is opened), or all. */
export function configKeysOf(key?: string): ConfigKey[] {
  return key === undefined ? [...configKeys] : [assertConfigKey(key)]
}

/** The settings of `keys` as `attend config get` shows them, on either engine. */
export async function getConfig(store: AttendStore, keys: readonly ConfigKey[]): Promise<ConfigEntry[]> {
  const current = await store.siteSettings.read()
  return keys.map((k) => ({key: k, value: display(current[settingField(k)], k)}))
}

export function setConfig(openStore: () => Store, key: string, value: string, now: number): ConfigEntry {
  const configKey = assertConfigKey(key)
  // Validate what needs no store first, so a typo never creates or touches a file.
  const needsStore = configKey === 'default-shift'
  let parsed = needsStore ? undefined : parseConfigValue(configKey, value)
  const store = openStore()
  if (needsStore) parsed = parseConfigValue(configKey, value, (name) => existingShiftName(store, name))
  const field = settingField(configKey)
  const before = JSON.stringify(readSettings(store)[field])
  const updated = writeSettings(store, {[field]: parsed}, now)
  // The default shift and the week off decide attendance days: recompute them when they change.
  const decidesDays = configKey === 'default-shift' || configKey === 'week-off'
  if (decidesDays && before !== JSON.stringify(updated[field])) recomputeAfterSiteRuleChange(store, now)
  return {key: configKey, value: display(updated[field], configKey)}
}
