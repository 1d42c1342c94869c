import {parseHalf} from '../../src/attendance/half-day.js'
import type {Store} from '../../src/db/open.js'
import {parseConfigValue, assertConfigKey, settingField} from '../../src/settings/settings.js'
import {createEmployee} from '../../src/store/sqlite/directory/employees.js'
import {addHoliday as storeHoliday} from '../../src/store/sqlite/directory/holidays.js'
import {addLeave as storeLeave} from '../../src/store/sqlite/directory/leaves.js'
import {addMapping as storeMapping} from '../../src/store/sqlite/directory/mappings.js'
import {shiftName, writeSiteSettings} from '../../src/store/sqlite/directory/settings.js'
import {parseDate, parseDateRange} from '../../src/time/date-input.js'

/**
 * Synchronous directory set-ups on a SQLite store for tests of other areas (reports, attendance,
 * webhooks), through the SQLite adapter's own functions: the same rows, re-resolution and
 * recompute as the commands make, without the port's promises.
 */

export function addEmployee(store: Store, input: Parameters<typeof createEmployee>[1], now: number) {
  return createEmployee(store, input, now)
}

export function addMapping(store: Store, input: {deviceUserId: string; employeeCode: string; deviceSerial?: string}, now: number) {
  return storeMapping(store, input, now)
}

export function addLeave(store: Store, code: string, input: {from: string; to: string; type?: string; note?: string; half?: string}, now: number) {
  const range = parseDateRange(input.from, input.to) as {from: string; to: string}
  return storeLeave(store, code, {...range, half: parseHalf(input.half, '--half'), type: input.type ?? null, note: input.note ?? null}, now)
}

export function addHoliday(store: Store, date: string, name: string, now: number, options: {half?: string} = {}) {
  return storeHoliday(store, {date: parseDate(date, 'date'), name, half: parseHalf(options.half, '--half')}, now)
}

/** `attend config set KEY VALUE` on a SQLite store. */
export function setConfig(store: Store, key: string, value: string, now: number) {
  const configKey = assertConfigKey(key)
  const field = settingField(configKey)
  const parsed = parseConfigValue(configKey, value, (name) => shiftName(store, name) ?? name)
  const decidesDays = configKey === 'default-shift' || configKey === 'week-off'
  return store.transaction(() => writeSiteSettings(store, {values: {[field]: parsed}, recomputeOnChange: decidesDays ? field : undefined}, now))
}
