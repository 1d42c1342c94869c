import type {AssignmentView, ShiftView} from './service.js'

/** `08:00–17:00, late grace 10 min, …`: the rules that differ from the defaults. */
export function describeShift(shift: ShiftView): string {
  const parts = [`${shift.start}–${shift.end}${shift.crossesMidnight ? ' (next day)' : ''}`]
  if (shift.pattern) parts.push(`on ${describePattern(shift.pattern)}`)
  if (shift.lateGraceMinutes) parts.push(`late grace ${shift.lateGraceMinutes} min`)
  if (shift.earlyGraceMinutes) parts.push(`early grace ${shift.earlyGraceMinutes} min`)
  if (!shift.markLate) parts.push('late not marked')
  if (!shift.markEarly) parts.push('early departure not marked')
  if (shift.halfDayHours) parts.push(`half day below ${shift.halfDayHours} h`)
  if (shift.absentHours) parts.push(`absent below ${shift.absentHours} h`)
  if (shift.beforeMinutes !== 60 || shift.afterMinutes !== 60) parts.push(`margins ${shift.beforeMinutes}/${shift.afterMinutes} min`)
  if (shift.checkInWindow) parts.push(`check-in ${shift.checkInWindow}`)
  if (shift.checkOutWindow) parts.push(`check-out ${shift.checkOutWindow}`)
  if (shift.hoursMode !== 'first-last') parts.push(`hours ${shift.hoursMode}`)
  if (shift.directionMode !== 'auto') parts.push(`direction ${shift.directionMode}`)
  if (shift.debounceSeconds !== 60) parts.push(`debounce ${shift.debounceSeconds} s`)
  if (shift.weekOff) parts.push(`week off ${shift.weekOff.join(',') || 'none'}`)
  const overtime = describeOvertime(shift)
  if (overtime) parts.push(overtime)
  return parts.join(', ')
}

/** `fri 08:00–12:30, sat off`. */
export function describePattern(pattern: NonNullable<ShiftView['pattern']>): string {
  return Object.entries(pattern)
    .map(([day, plan]) => `${day} ${plan === 'off' ? 'off' : plan.replace('-', '–')}`)
    .join(', ')
}

/** The overtime rules that differ from the defaults, or '' for none. */
function describeOvertime(shift: ShiftView): string {
  const rules: string[] = []
  if (shift.overtime === 'also-before-start') rules.push('also before the start')
  if (shift.overtimeMinimumMinutes) rules.push(`from ${shift.overtimeMinimumMinutes} min`)
  if (shift.overtimeRoundMinutes > 1) rules.push(`rounded down to ${shift.overtimeRoundMinutes} min`)
  if (shift.overtimeCapMinutes !== null) rules.push(`at most ${shift.overtimeCapMinutes} min a day`)
  return rules.length ? `overtime ${rules.join(', ')}` : ''
}

/** `shift Night` or `roster Rotation`. */
export function describeSchedule(assignment: Pick<AssignmentView, 'shift' | 'roster'>): string {
  return assignment.shift !== null ? `shift ${assignment.shift}` : `roster ${assignment.roster}`
}

/** `EMP007 Grace Mwangi` or `department Kitchen`. */
export function describeAssignee(assignment: Pick<AssignmentView, 'employeeCode' | 'employeeName' | 'department'>): string {
  return assignment.employeeCode ? `${assignment.employeeCode} ${assignment.employeeName}` : `department ${assignment.department}`
}
