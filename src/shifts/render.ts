import type {ShiftView} from './service.js'

/** `08:00–17:00, late grace 10 min, …`: the rules that differ from the defaults. */
export function describeShift(shift: ShiftView): string {
  const parts = [`${shift.start}–${shift.end}${shift.crossesMidnight ? ' (next day)' : ''}`]
  if (shift.lateGraceMinutes) parts.push(`late grace ${shift.lateGraceMinutes} min`)
  if (shift.earlyGraceMinutes) parts.push(`early grace ${shift.earlyGraceMinutes} min`)
  if (shift.halfDayHours) parts.push(`half day below ${shift.halfDayHours} h`)
  if (shift.absentHours) parts.push(`absent below ${shift.absentHours} h`)
  if (shift.beforeMinutes !== 60 || shift.afterMinutes !== 60) parts.push(`margins ${shift.beforeMinutes}/${shift.afterMinutes} min`)
  if (shift.checkInWindow) parts.push(`check-in ${shift.checkInWindow}`)
  if (shift.checkOutWindow) parts.push(`check-out ${shift.checkOutWindow}`)
  if (shift.hoursMode !== 'first-last') parts.push(`hours ${shift.hoursMode}`)
  if (shift.directionMode !== 'auto') parts.push(`direction ${shift.directionMode}`)
  if (shift.debounceSeconds !== 60) parts.push(`debounce ${shift.debounceSeconds} s`)
  if (shift.weekOff) parts.push(`week off ${shift.weekOff.join(',') || 'none'}`)
  return parts.join(', ')
}
