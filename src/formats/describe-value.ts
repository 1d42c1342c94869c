import {quote} from './input-policy.js'

/** How a wrong JSON value is named in a rejection sentence: `the string "abc"`, `number 5`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${quote(value)}`
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${quote(String(value)).slice(1, -1)}`
}

/** The record as received, for the punch's `raw` column; never throws (cycles, BigInt). */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
