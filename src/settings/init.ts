import type {Store} from '../db/open.js'
import {assertTimeZone, machineTimeZone} from '../time/zone.js'
import {parseWeekdays} from '../time/weekdays.js'
import {isInitialized, readSettings, writeSettings, type SiteSettings} from './settings.js'

export interface InitResult {
  path: string
  created: boolean
  settings: SiteSettings
}

/**
 * Stores the site settings on first run (machine zone by default); later runs change only what is
 * passed. Input is validated before the store is opened, so a typo creates no file.
 */
export function initSite(openStore: () => Store, input: {timezone?: string; weekOff?: string}, now: number): InitResult {
  const timezone = input.timezone === undefined ? undefined : assertTimeZone(input.timezone.trim())
  const weekOff = input.weekOff === undefined ? undefined : parseWeekdays(input.weekOff)
  const store = openStore()
  const created = !isInitialized(store)
  const current = readSettings(store)
  const values: Partial<SiteSettings> = {
    timezone: timezone ?? (created ? machineTimeZone() : undefined),
    weekOff: weekOff ?? (created ? current.weekOff : undefined),
  }
  const settings = writeSettings(store, values, now)
  return {path: store.path, created, settings}
}
