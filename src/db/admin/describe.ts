import type {SchemaVersion} from '../migrate.js'

/** The engine as people name it. */
export function engineName(engine: 'sqlite' | 'postgres'): string {
  return engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'
}

/** One line on where a store's schema stands against this attend's migrations. */
export function describeSchemaVersion(version: SchemaVersion & {upToDate: boolean}): string {
  const plural = (n: number) => `${n} migration${n === 1 ? '' : 's'}`
  if (version.applied === 0) return `no migrations applied (${plural(version.known)} known): not an attend store yet; attend creates its tables when it first opens it`
  if (version.newer > 0) return `${plural(version.applied)} applied, ${version.newer} newer than this attend knows: use the attend that migrated it`
  const latest = version.latest ? ` (latest ${version.latest})` : ''
  if (version.upToDate) return `${version.applied} of ${plural(version.known)} applied${latest}, up to date`
  return `${version.applied} of ${plural(version.known)} applied${latest}; attend applies the rest when it next opens the store`
}

/** Bytes as B, KiB, MiB or GiB with one decimal. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}
