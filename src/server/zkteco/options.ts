import {MAX_ID_LENGTH, MAX_NAME_LENGTH} from '../../formats/input-policy.js'

/** Options kept per device at most: a terminal reports a few dozen (registry up to ~150). */
export const MAX_OPTIONS = 256
const MAX_OPTIONS_TEXT = MAX_OPTIONS * (MAX_ID_LENGTH + MAX_NAME_LENGTH + 4)

/**
 * `table=options`, `/iclock/registry` and `querydata?type=options` bodies: `Key=Value,Key=Value`, or
 * one pair per line. A `~` before a key marks a read-only capability (`~DeviceName=SpeedFace-V5L`)
 * and is dropped. Keys longer than an id and values longer than a name are cut; past MAX_OPTIONS
 * pairs the rest are ignored, so a device (or anyone speaking for it) cannot grow the row at will.
 */
export function parseDeviceOptions(text: string): Record<string, string> {
  const options: Record<string, string> = {}
  let count = 0
  // What MAX_OPTIONS pairs can fill, at most: the rest of a 10 MiB body is never even split.
  const head = text.length > MAX_OPTIONS_TEXT ? text.slice(0, MAX_OPTIONS_TEXT) : text
  for (const pair of head.split(/[,\n\r]/)) {
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const key = pair.slice(0, eq).trim().replace(/^~+/, '').slice(0, MAX_ID_LENGTH)
    if (!key || key === '__proto__') continue
    if (!Object.hasOwn(options, key) && ++count > MAX_OPTIONS) break
    options[key] = pair.slice(eq + 1).trim().slice(0, MAX_NAME_LENGTH)
  }
  return options
}
