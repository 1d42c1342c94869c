import type {RecomputeResult} from '../attendance/recompute-result.js'
import {NotFoundError, UsageError} from '../errors.js'

/** The longest cycle: a year of days is more than any roster a site runs. */
const MAX_CYCLE_DAYS = 366

export interface RosterView {
  id: number
  name: string
  /** One entry per day of the cycle: a shift name, or `off`. */
  cycle: string[]
  days: number
}

export interface RosterChange {
  roster: RosterView
  recomputed: RecomputeResult | null
}

export interface RosterRemoval {
  removed: string
  assignmentsRemoved: number
  recomputed: RecomputeResult | null
}

export function rosterView(row: {id: number; name: string; cycle: string}, names: ReadonlyMap<number, string>): RosterView {
  const cycle = (JSON.parse(row.cycle) as (number | null)[]).map((id) => (id === null ? 'off' : (names.get(id) ?? `#${id}`)))
  return {id: row.id, name: row.name, cycle, days: cycle.length}
}

/**
 * `Day,Day,Night,Night,off,off` → shift ids and nulls, naming the first unknown shift. A cycle
 * needs at least one shift: a roster of rest days only is no schedule.
 */
export function parseCycle(names: ReadonlyMap<number, string>, text: string): (number | null)[] {
  const entries = text.split(',').map((e) => e.trim())
  if (entries.some((e) => e === '')) throw new UsageError(`Invalid --cycle "${text}": expected shift names or off separated by commas, such as Day,Day,Night,Night,off,off.`, 'invalid_cycle')
  if (entries.length > MAX_CYCLE_DAYS) throw new UsageError(`--cycle has ${entries.length} days: a roster cycle lasts at most ${MAX_CYCLE_DAYS} days.`, 'invalid_cycle')
  const byName = new Map([...names].map(([id, name]) => [name.toLowerCase(), id]))
  const cycle = entries.map((entry, i) => {
    if (entry.toLowerCase() === 'off') return null
    const id = byName.get(entry.toLowerCase())
    if (id === undefined) throw new NotFoundError(`Unknown shift "${entry}" on day ${i + 1} of --cycle: see attend shifts list (or write off for a rest day).`)
    return id
  })
  if (cycle.every((id) => id === null)) throw new UsageError('--cycle has only days off: a roster needs at least one shift.', 'invalid_cycle')
  return cycle
}

