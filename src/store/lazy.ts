import type {StoreLocation} from '../db/location.js'
import type {AttendStore} from './port.js'

/**
 * The port of a command run, opened on its first operation rather than up front: a command checks
 * its flags and arguments (and answers a usage error) before it finds out the store is missing or
 * unreachable, as it did when services took a lazy `() => Store` (docs/architecture.md, "The store
 * port"). Sections are reached synchronously; each operation awaits the one shared open.
 */
export function lazyAttendStore(engine: StoreLocation['engine'], open: () => Promise<AttendStore>): AttendStore & {opened(): boolean} {
  let opening: Promise<AttendStore> | undefined
  const port = () => (opening ??= open())
  const sections = new Map<PropertyKey, unknown>()
  const section = (name: PropertyKey) =>
    new Proxy(
      {},
      {
        get: (_target, method) =>
          async (...args: unknown[]) => {
            const opened = (await port()) as unknown as Record<PropertyKey, Record<PropertyKey, (...a: unknown[]) => unknown>>
            return opened[name][method](...args)
          },
      },
    )
  return new Proxy({} as AttendStore & {opened(): boolean}, {
    get: (_target, name) => {
      if (name === 'engine') return engine
      if (name === 'then') return undefined
      if (name === 'opened') return () => opening !== undefined
      // A port that never opened (the store was missing) has nothing to close; its open error was reported already.
      if (name === 'close') return async () => (opening ? (await opening.catch(() => undefined))?.close() : undefined)
      if (!sections.has(name)) sections.set(name, section(name))
      return sections.get(name)
    },
  })
}
