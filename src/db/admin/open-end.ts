import type {StoreLocation} from '../location.js'
import type {EndPurpose, StoreEnd} from './end.js'
import {openPgEnd} from './pg-end.js'
import {openSqliteEnd} from './sqlite-end.js'

/** Opens the store at `location` for a whole-store operation, whichever engine holds it. */
export async function openEnd(location: StoreLocation, purpose: EndPurpose): Promise<StoreEnd> {
  return location.engine === 'postgres' ? openPgEnd(location.url, purpose) : openSqliteEnd(location.path, purpose)
}
