import type {Statement} from 'better-sqlite3'

import type {Store} from '../../db/open.js'
import {cachedByRevision} from '../../db/revisions.js'
import {settingsFromRows, type SiteSettings} from '../../settings/settings.js'

// Settings are read on every ingest (time zone, default shift): a prepared statement per
// connection instead of building the Drizzle query each time.
const readAll = new WeakMap<Store['sqlite'], Statement>()

/**
 * The settings as the server's hot paths read them (time zone and default shift on every ingest):
 * read once, then again only after a settings row changed. Shared, so read-only.
 */
export const siteSettings: (store: Store) => Readonly<SiteSettings> = cachedByRevision('site', (store) => readSettings(store))

export function readSettings(store: Store): SiteSettings {
  let statement = readAll.get(store.sqlite)
  if (!statement) {
    statement = store.sqlite.prepare('SELECT key, value FROM settings')
    readAll.set(store.sqlite, statement)
  }
  return settingsFromRows(statement.all() as {key: string; value: string}[])
}
