import {unknownShift} from '../errors.js'
import type {AttendStore} from '../store/port.js'
import {
  assertConfigKey,
  configKeys,
  type ConfigKey,
  describeMargin,
  parseConfigValue,
  settingField,
  type SiteSettings,
} from './settings.js'

export interface ConfigEntry {
  key: string
  value: string
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

/**
 * `attend config set`: validated before the store is touched where no store is needed; a
 * `default-shift` must name an existing shift (stored spelling kept). The default shift and the
 * week off decide attendance days: a change of either recomputes them in the same transaction.
 */
export async function setConfig(store: AttendStore, key: string, value: string, now: number): Promise<ConfigEntry> {
  const configKey = assertConfigKey(key)
  const field = settingField(configKey)
  let parsed: SiteSettings[keyof SiteSettings]
  if (configKey === 'default-shift') {
    const name = parseConfigValue(configKey, value) as string | null
    parsed = name === null ? null : ((await store.directory.shiftName(name)) ?? throwUnknownShift(name))
  } else {
    parsed = parseConfigValue(configKey, value)
  }
  const decidesDays = configKey === 'default-shift' || configKey === 'week-off'
  const {settings} = await store.directory.writeSettings({values: {[field]: parsed}, recomputeOnChange: decidesDays ? field : undefined}, now)
  return {key: configKey, value: display(settings[field], configKey)}
}

function throwUnknownShift(name: string): never {
  throw unknownShift(name, 'default-shift')
}
