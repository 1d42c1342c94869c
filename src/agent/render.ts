import type {LiveEvent} from './live.js'
import type {DevicePullResult, PullSummary} from './pull.js'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** One line per device: what was read, what was new, how long it took. */
export function pullLine(r: DevicePullResult): string {
  const who = `${r.serial} (${r.name})`
  if (!r.ok) return `${who}: failed: ${r.error}`
  const parts = [
    `${plural(r.recordsRead, 'record')} read`,
    `${r.recordsNew} new`,
    plural(r.duplicates, 'duplicate'),
    `${r.rejected} rejected`,
    plural(r.users, 'user'),
  ]
  let line = `${who}: ${parts.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s over ${r.protocol?.toUpperCase()}`
  if (r.cleared === true) line += '; device log cleared'
  else if (r.clearNote) line += `; ${r.clearNote}`
  return line
}

export function totalLine(s: PullSummary): string {
  const failed = s.failed > 0 ? `, ${s.failed} failed` : ''
  return `Total: ${plural(s.devices.length, 'device')}${failed}; ${plural(s.recordsRead, 'record')} read, ${s.recordsNew} new, ${s.rejected} rejected.`
}

export function liveLine(e: LiveEvent): string {
  switch (e.kind) {
    case 'connected': {
      const c = e.caughtUp
      return `${e.serial}: connected over ${e.protocol.toUpperCase()}; caught up (${plural(c.recordsRead, 'record')} read, ${c.recordsNew} new); waiting for punches`
    }
    case 'punch': {
      const person = e.employee ? `${e.employee.code} ${e.employee.name}` : e.name ? `${e.name}, unmapped` : 'unmapped'
      return `${e.serial}: ${e.time}  user ${e.userId} (${person})  state ${e.state}  ${e.status}`
    }
    case 'rejected':
      return `${e.serial}: rejected: ${e.reason}`
    case 'disconnected':
      return `${e.serial}: session lost (${e.reason}); reconnecting in ${Math.round(e.retryInMs / 100) / 10} s`
  }
}
