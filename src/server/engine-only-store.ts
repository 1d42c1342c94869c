import type {StoreLocation} from '../db/location.js'
import {describeLocation} from '../db/location.js'
import type {Store} from '../db/open.js'
import {AttendError} from '../errors.js'

/**
 * `ServerDeps.store` when the server runs on another engine than SQLite: the routes on the store
 * port never touch it; one that still reads SQLite directly answers in one sentence (in its family's
 * format, as any error) instead of reaching for a file that is not there.
 */
export function engineOnlyStore(location: Exclude<StoreLocation, {engine: 'sqlite'}>): Store {
  const refuse = (): never => {
    throw new AttendError(`This request is not served on PostgreSQL yet (${describeLocation(location)}): its route still reads a SQLite store.`, {
      code: 'engine_unsupported',
    })
  }
  return new Proxy({} as Store, {
    get: (_target, name) => {
      // Inspection (util.inspect, promise checks) must not throw.
      if (name === 'then' || typeof name === 'symbol') return undefined
      if (name === 'path') return describeLocation(location)
      return refuse()
    },
  })
}
