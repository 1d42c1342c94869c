import {UsageError} from '../errors.js'
import type {DayHalf} from './engine/types.js'

/** `first` / `second` (the half of the day that is off), or undefined/empty for a whole day. Shared by leaves and holidays. */
export function parseHalf(text: string | undefined, what: string): DayHalf | null {
  if (text === undefined || text.trim() === '') return null
  const value = text.trim().toLowerCase()
  if (value === 'first' || value === 'second') return value
  throw new UsageError(`Invalid ${what} "${text}": expected first or second (the half of the day that is off).`, 'invalid_half')
}
