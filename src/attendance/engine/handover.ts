import type {ShiftInstance} from './instances.js'

/**
 * Settles who owns the instants where two consecutive instances' spans meet (docs/architecture.md,
 * "Handover"), so every punch has one owner:
 *
 * - Two shifts: the earlier owns its span up to its scheduled end — or up to where the next one's
 *   margin begins, if that is later — and the next owns everything after. The night shift 19:00–07:00
 *   keeps its 07:00 check-out, and the day shift 07:00–19:00 gets 07:01 as its check-in instead of
 *   losing it to the night's after-margin. The same holds when the assignment changes between dates.
 * - A shift and a shift-less day (no shift, or a roster's rest day): the shift keeps its whole span,
 *   margins included, and the bare day gives way — a 23:30 check-in for a 00:30 shift belongs to
 *   that shift, not to the evening before.
 * - Two shift-less days meet at midnight and never overlap.
 *
 * Mutates the spans (and closesAt) of instances in date order; margins are at most 12 hours and a
 * shift's span is shorter than a day, so only neighbours can overlap.
 */
export function handOver(instances: ShiftInstance[]): void {
  for (let i = 0; i + 1 < instances.length; i++) {
    const earlier = instances[i]
    const later = instances[i + 1]
    if (earlier.span.end < later.span.start) continue
    if (earlier.shift && later.shift) {
      const boundary = Math.min(earlier.span.end, Math.max(earlier.end, later.span.start))
      earlier.span = {start: earlier.span.start, end: boundary}
      later.span = {start: boundary + 1, end: later.span.end}
    } else if (earlier.shift) {
      later.span = {start: earlier.span.end + 1, end: later.span.end}
    } else if (later.shift) {
      earlier.span = {start: earlier.span.start, end: later.span.start - 1}
    }
  }
  for (const instance of instances) instance.closesAt = instance.span.end + 1
}
