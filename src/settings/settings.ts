import {UsageError} from '../errors.js'
import {DEFAULT_FUTURE_MARGIN_MINUTES, quote} from '../formats/input-policy.js'
import {assertTimeZone} from '../time/zone.js'
import {parseWeekdays, type Weekday} from '../time/weekdays.js'

export interface SiteSettings {
  timezone: string
  weekOff: Weekday[]
  /** Name of the shift used when no assignment applies; null = no shift (midnight to midnight). */
  defaultShift: string | null
  reportTitle: string
  synchronous: 'NORMAL' | 'FULL'
  /**
   * How far ahead of the clock a punch may be (minutes): a device whose clock ran away, or a typo'd
   * year, must not create attendance in the future. null = no limit.
   */
  futureMarginMinutes: number | null
  /** A device not seen for this long is offline (`device.status_changed`). */
  deviceOfflineAfterMinutes: number
  /** Delivered webhook deliveries (and their attempts) are deleted after this long. */
  webhookRetentionMinutes: number
}

/**
 * What a store has before `attend init`: UTC, said out loud by `attend serve`, rather than whatever
 * zone the server happens to run in (`init` itself defaults to the machine's zone, shown as it sets it).
 */
export const defaultSettings = (): SiteSettings => ({
  timezone: 'UTC',
  weekOff: ['sat', 'sun'],
  defaultShift: null,
  reportTitle: 'Attendance report',
  synchronous: 'NORMAL',
  futureMarginMinutes: DEFAULT_FUTURE_MARGIN_MINUTES,
  deviceOfflineAfterMinutes: 5,
  webhookRetentionMinutes: 30 * 24 * 60,
})

/** Config keys as typed on the command line (`attend config set week-off sat,sun`). */
export const configKeys = [
  'timezone',
  'week-off',
  'default-shift',
  'report-title',
  'synchronous',
  'future-margin',
  'device-offline-after',
  'webhook-retention',
] as const
export type ConfigKey = (typeof configKeys)[number]

const keyToField: Record<ConfigKey, keyof SiteSettings> = {
  timezone: 'timezone',
  'week-off': 'weekOff',
  'default-shift': 'defaultShift',
  'report-title': 'reportTitle',
  synchronous: 'synchronous',
  'future-margin': 'futureMarginMinutes',
  'device-offline-after': 'deviceOfflineAfterMinutes',
  'webhook-retention': 'webhookRetentionMinutes',
}

export function assertConfigKey(key: string): ConfigKey {
  if (!(configKeys as readonly string[]).includes(key)) {
    throw new UsageError(`Unknown config key "${key}": expected one of ${configKeys.join(', ')}.`, 'invalid_config_key')
  }
  return key as ConfigKey
}

/** The settings from the rows of the `settings` table (a JSON value per key), defaults for the rest. */
export function settingsFromRows(rows: readonly {key: string; value: string}[]): SiteSettings {
  const result = defaultSettings()
  const target = result as unknown as Record<string, unknown>
  for (const row of rows) target[row.key] = JSON.parse(row.value)
  return result
}

/**
 * Validates and parses a config value typed by the admin. `validateShift` lets the shifts service
 * check `default-shift` without this module knowing about shifts.
 */
export function parseConfigValue(key: ConfigKey, value: string, validateShift?: (name: string) => string): SiteSettings[keyof SiteSettings] {
  switch (key) {
    case 'timezone':
      return assertTimeZone(value.trim())
    case 'week-off':
      return parseWeekdays(value)
    case 'report-title':
      if (!value.trim()) throw new UsageError('The report title cannot be empty.', 'invalid_config_value')
      return value.trim()
    case 'synchronous': {
      const mode = value.trim().toUpperCase()
      if (mode !== 'NORMAL' && mode !== 'FULL') {
        throw new UsageError(`Invalid synchronous mode "${value}": expected NORMAL or FULL.`, 'invalid_config_value')
      }
      return mode
    }
    case 'default-shift': {
      const name = value.trim()
      if (name === '' || name.toLowerCase() === 'none') return null
      return validateShift ? validateShift(name) : name
    }
    case 'future-margin':
      return parseMargin(value)
    case 'device-offline-after':
      return parseDuration(value, 'device offline delay', 'such as 5m, 15m or 1h', 1, 7 * 24 * 60)
    case 'webhook-retention':
      return parseDuration(value, 'webhook retention', 'such as 30d, 7d or 12h', 60, 366 * 24 * 60)
  }
}

const MARGIN_UNITS: Record<string, number> = {m: 1, h: 60, d: 24 * 60}
/** A year: beyond that a margin stops protecting anything. */
const MAX_MARGIN_MINUTES = 366 * 24 * 60

/** `future-margin`: `90m`, `12h`, `1d`, plain minutes, or `off` (no limit). */
function parseMargin(value: string): number | null {
  const text = value.trim().toLowerCase()
  if (text === 'off' || text === 'none') return null
  const match = /^(\d{1,6})\s*([mhd]?)$/.exec(text)
  const minutes = match ? Number(match[1]) * MARGIN_UNITS[match[2] || 'm'] : Number.NaN
  if (!Number.isFinite(minutes) || minutes > MAX_MARGIN_MINUTES) {
    throw new UsageError(`Invalid future margin ${quote(value)}: expected a duration such as 30m, 12h or 1d (at most 366d), or off.`, 'invalid_config_value')
  }
  return minutes
}

/** A required duration (`5m`, `1h`, `30d`, plain minutes) between `min` and `max` minutes. */
function parseDuration(value: string, what: string, examples: string, min: number, max: number): number {
  const match = /^(\d{1,6})\s*([mhd]?)$/.exec(value.trim().toLowerCase())
  const minutes = match ? Number(match[1]) * MARGIN_UNITS[match[2] || 'm'] : Number.NaN
  if (!Number.isFinite(minutes) || minutes < min || minutes > max) {
    throw new UsageError(
      `Invalid ${what} ${quote(value)}: expected a duration ${examples} (from ${describeMargin(min)} to ${describeMargin(max)}).`,
      'invalid_config_value',
    )
  }
  return minutes
}

/** A margin as `config get` shows it: the largest whole unit (`1d`, `12h`, `90m`), or `off`. */
export function describeMargin(minutes: number | null): string {
  if (minutes === null) return 'off'
  if (minutes > 0 && minutes % (24 * 60) === 0) return `${minutes / (24 * 60)}d`
  if (minutes > 0 && minutes % 60 === 0) return `${minutes / 60}h`
  return `${minutes}m`
}

export function settingField(key: ConfigKey): keyof SiteSettings {
  return keyToField[key]
}
