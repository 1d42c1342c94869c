import {IANAZone} from 'luxon'

import {UsageError} from '../errors.js'

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone)
}

/** Validates an IANA zone name (`Africa/Nairobi`), naming the bad value when it is not one. */
export function assertTimeZone(zone: string, what = 'time zone'): string {
  if (!isValidTimeZone(zone)) {
    throw new UsageError(`Unknown ${what} "${zone}": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.`, 'invalid_timezone')
  }
  return zone
}

/** The machine's own zone, the default for a new site. */
export function machineTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return zone && isValidTimeZone(zone) ? zone : 'UTC'
}
