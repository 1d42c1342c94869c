import type {AttendStore} from '../store/port.js'
import {assertTimeZone, machineTimeZone} from '../time/zone.js'
import {parseWeekdays} from '../time/weekdays.js'
import type {SiteSettings} from './settings.js'

export interface InitResult {
  /** The store: a SQLite file's path, or a PostgreSQL URL without its password. */
  path: string
  created: boolean
  settings: SiteSettings
}

/**
 * Stores the site settings on first run (machine zone by default); later runs change only what is
 * passed. Input is validated before the store is opened, so a typo creates no file. `where` names
 * the store in the result (the command knows it; the port does not).
 */
export async function initSite(store: AttendStore, where: string, input: {timezone?: string; weekOff?: string}, now: number): Promise<InitResult> {
  const timezone = input.timezone === undefined ? undefined : assertTimeZone(input.timezone.trim())
  const weekOff = input.weekOff === undefined ? undefined : parseWeekdays(input.weekOff)
  const created = !(await store.directory.isInitialized())
  const current = await store.siteSettings.read()
  const values: Partial<SiteSettings> = {
    timezone: timezone ?? (created ? machineTimeZone() : undefined),
    weekOff: weekOff ?? (created ? current.weekOff : undefined),
  }
  const {settings} = await store.directory.writeSettings({values}, now)
  return {path: where, created, settings}
}
