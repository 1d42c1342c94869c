import type {OvertimeRule} from './types.js'

/** An interval of worked time, [start, end) in epoch ms. */
export type Interval = readonly [number, number]

/**
 * Overtime minutes of a day (docs/architecture.md, "Overtime"): worked time after the expected end
 * (and, when the rule says so, before the expected start), in whole minutes; below the minimum it
 * is none, then it is rounded down to the rule's step and capped. Time inside the expected hours is
 * never overtime, however long the day — so a late arrival who stays late is not paid extra for
 * the minutes they owed.
 */
export function overtimeMinutes(worked: readonly Interval[], expected: {start: number; end: number}, rule: OvertimeRule): number {
  let ms = 0
  for (const [from, to] of worked) {
    ms += Math.max(0, to - Math.max(from, expected.end))
    if (rule.counts === 'also-before-start') ms += Math.max(0, Math.min(to, expected.start) - from)
  }
  let minutes = Math.floor(ms / 60_000)
  if (minutes === 0 || minutes < rule.minimumMinutes) return 0
  if (rule.roundDownMinutes > 1) minutes -= minutes % rule.roundDownMinutes
  if (rule.dailyCapMinutes !== null && minutes > rule.dailyCapMinutes) minutes = rule.dailyCapMinutes
  return minutes
}
