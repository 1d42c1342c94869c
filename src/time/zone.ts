import {IANAZone} from 'luxon'

import {UsageError} from '../errors.js'

// Zone validity and the machine zone never change within a process, and asking Intl is costly
// (it showed up as a fifth of a single-punch ingest): remember the answers.
const validity = new Map<string, boolean>()
let machineZone: string | undefined

export function isValidTimeZone(zone: string): boolean {
  let valid = validity.get(zone)
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone)
    if (validity.size < 1000) validity.set(zone, valid)
  }
  return valid
}

/**
 * Validates an IANA zone name, naming the bad value when it is not one, and returns its standard
 * spelling (`europe/paris` → `Europe/Paris`) so listings and reports show the name people know.
 */
export function assertTimeZone(zone: string, what = 'time zone'): string {
  if (!isValidTimeZone(zone)) {
    throw new UsageError(`Unknown ${what} "${zone}": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.`, 'invalid_timezone')
  }
  return standardSpelling(zone)
}

/**
 * ICU resolves names case-insensitively but to its own canonical ids, which for some zones are the
 * old names (Asia/Kolkata → Asia/Calcutta): take ICU's spelling only when it is the same name.
 */
function standardSpelling(zone: string): string {
  const canonical = new Intl.DateTimeFormat('en-US', {timeZone: zone}).resolvedOptions().timeZone
  if (canonical.toLowerCase() === zone.toLowerCase()) return canonical
  const mixedCase = zone !== zone.toLowerCase() && zone !== zone.toUpperCase()
  if (mixedCase) return zone
  return zone.toLowerCase().replace(/(^|[/_-])([a-z])/g, (_match, boundary: string, letter: string) => boundary + letter.toUpperCase())
}

/** The machine's own zone, the default for a new site. */
export function machineTimeZone(): string {
  if (machineZone === undefined) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
    machineZone = zone && isValidTimeZone(zone) ? zone : 'UTC'
  }
  return machineZone
}
