import type {PunchDirection} from '../punches/types.js'
import {UsageError} from '../errors.js'

/** Raw state code (CAMS att_state, ZKTeco status) → direction, as configured on a device. */
export type StateMap = Readonly<Record<string, PunchDirection>>

/**
 * Reads `devices.state_map`. Codes mean different things on different firmware, so a device's
 * punches carry a direction only when the admin configured one; an unreadable map is ignored rather
 * than refusing the device's punches.
 */
export function parseStateMap(json: string | null | undefined): StateMap | null {
  if (!json) return null
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const map: Record<string, PunchDirection> = {}
  for (const [code, direction] of Object.entries(value as Record<string, unknown>)) {
    if (direction === 'in' || direction === 'out') map[code.trim()] = direction
  }
  return Object.keys(map).length > 0 ? map : null
}

/** The mapped direction of a raw code, or null when the map does not name it. */
export function directionFromStateMap(map: StateMap | null, rawStatus: string | null | undefined): PunchDirection | null {
  if (!map || rawStatus === null || rawStatus === undefined) return null
  return map[rawStatus.trim()] ?? null
}

/**
 * Reads the admin's `--state-map 0=in,1=out` (or `none` to clear) into the stored JSON. Codes are
 * whatever the device sends (numbers, or names such as CheckIn); directions must be in or out.
 */
export function parseStateMapFlag(text: string): string | null {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return null
  const map: Record<string, PunchDirection> = {}
  for (const part of trimmed.split(',')) {
    const [code, direction, extra] = part.split('=').map((s) => s.trim())
    if (!code || extra !== undefined || (direction !== 'in' && direction !== 'out')) {
      throw new UsageError(`Invalid state map entry "${part.trim()}": expected CODE=in or CODE=out, e.g. --state-map 0=in,1=out (or none).`, 'invalid_state_map')
    }
    map[code] = direction
  }
  return JSON.stringify(map)
}

/** `0=in,1=out` for listings; null when no map is set. */
export function describeStateMap(json: string | null | undefined): string | null {
  const map = parseStateMap(json)
  return map ? Object.entries(map).map(([code, direction]) => `${code}=${direction}`).join(',') : null
}
