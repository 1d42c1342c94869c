/**
 * The one bad-input policy every source shares — every HTTP family, `attend import`, the CLI: how
 * long an id or a name may be, how far an offset may reach, and how much of a bad value an error
 * sentence may quote. Declared once here so the same mistake is refused with the same sentence
 * wherever it arrives (docs/architecture.md, "Bad input").
 */

/** Ids: device user ids (PIN, employeeId, UserID), scan ids, serials, employee codes, service tag ids. */
export const MAX_ID_LENGTH = 64
/** Human text: employee and device-user names, departments, device names and locations. */
export const MAX_NAME_LENGTH = 200
/** The most of a bad value an error sentence repeats: enough to recognise it, never a whole body. */
export const MAX_QUOTED_LENGTH = 80
/** UTC offsets in use on Earth run from −12:00 to +14:00; anything past ±14:00 is a typo or garbage. */
export const MAX_UTC_OFFSET_MINUTES = 14 * 60
/** Punches more than this far ahead of the server clock are refused unless `future-margin` says otherwise. */
export const DEFAULT_FUTURE_MARGIN_MINUTES = 24 * 60

/**
 * `value` as an error sentence quotes it: at most MAX_QUOTED_LENGTH characters (then an ellipsis),
 * control characters shown as spaces so a quoted value cannot break a log line or a plain-text reply.
 */
export function quote(value: string, max = MAX_QUOTED_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ')
  return `"${clean.length > max ? `${clean.slice(0, max)}…` : clean}"`
}

/** Null when `value` fits an id, else the sentence saying why not (`what` names the field). */
export function idTooLong(value: string, what: string): string | null {
  return value.length > MAX_ID_LENGTH ? `${what} ${quote(value)} is longer than ${MAX_ID_LENGTH} characters.` : null
}

/** Null when `value` fits a name, else the sentence saying why not (`what` names the field). */
export function nameTooLong(value: string, what: string): string | null {
  return value.length > MAX_NAME_LENGTH ? `${what} ${quote(value)} is longer than ${MAX_NAME_LENGTH} characters.` : null
}

/** Null when a UTC offset (minutes east) is one the Earth uses, else the sentence saying why not. */
export function offsetOutOfRange(minutes: number, text: string): string | null {
  return Math.abs(minutes) > MAX_UTC_OFFSET_MINUTES ? `the UTC offset ${text} is outside ±14:00` : null
}

/** At most `max` of `names`, and how many more there are: `A, B, C and 12 more`. */
export function someOf(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).map((name) => (name.length > 40 ? `${name.slice(0, 40)}…` : name))
  const rest = names.length - shown.length
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ')
}
