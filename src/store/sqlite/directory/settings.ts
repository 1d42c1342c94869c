import {eq, sql} from 'drizzle-orm'

import type {RecomputeResult} from '../attendance/recompute.js'
import type {Store} from '../../../db/open.js'
import {settings, shifts} from '../../../db/schema.js'
import {type SiteSettings} from '../../../settings/settings.js'
import {readSettings} from '../settings.js'
import {recomputeAfterSiteRuleChange} from '../schedules/shifts.js'
import type {SettingsWrite} from '../../directory.js'

/**
 * Writes site settings in one transaction and returns them all. `synchronous` is also a pragma of
 * this connection (other processes apply it when they open the store), so it takes effect at once.
 */
export function writeSettings(store: Store, values: Partial<SiteSettings>, now: number): SiteSettings {
  store.transaction(() => storeValues(store, values, now))
  applySynchronous(store, values.synchronous)
  return readSettings(store)
}

function storeValues(store: Store, values: Partial<SiteSettings>, now: number): void {
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined) continue
    store.db
      .insert(settings)
      .values({key: field, value: JSON.stringify(value), updatedAt: now})
      .onConflictDoUpdate({target: settings.key, set: {value: JSON.stringify(value), updatedAt: now}})
      .run()
  }
}

/**
 * `attend config set`: the write, and the recompute of every day when a setting that decides days
 * changed, in the caller's transaction; the caller applies `synchronous` after it (applySynchronous).
 */
export function writeSiteSettings(store: Store, write: SettingsWrite, now: number): {settings: SiteSettings; recomputed: RecomputeResult | null} {
  return store.transaction(() => {
    const field = write.recomputeOnChange
    const before = field === undefined ? undefined : JSON.stringify(readSettings(store)[field])
    storeValues(store, write.values, now)
    const updated = readSettings(store)
    const changed = field !== undefined && before !== JSON.stringify(updated[field])
    return {settings: updated, recomputed: changed ? recomputeAfterSiteRuleChange(store, now) : null}
  })
}

/** Sets this connection's safety level (not inside a transaction: SQLite refuses that). */
export function applySynchronous(store: Store, mode: SiteSettings['synchronous'] | undefined): void {
  if (mode) store.sqlite.pragma(`synchronous = ${mode}`)
}

/** Whether `attend init` has stored settings yet. */
export function isInitialized(store: Store): boolean {
  return store.db.select().from(settings).where(eq(settings.key, 'timezone')).get() !== undefined
}

/** The stored spelling of the shift named `name` (any case). */
export function shiftName(store: Store, name: string): string | undefined {
  return store.db
    .select({name: shifts.name})
    .from(shifts)
    .where(sql`${shifts.name} = ${name} COLLATE NOCASE`)
    .get()?.name
}
