import type {RecomputeResult} from './recompute-result.js'

/** One line for humans after anything that recomputed attendance. */
export function describeRecompute(result: RecomputeResult | null): string {
  if (!result || result.employees === 0) return 'No attendance days to recompute.'
  const range = result.from === result.to ? result.from : `${result.from} to ${result.to}`
  return `Recomputed ${plural(result.days, 'day')} for ${plural(result.employees, 'employee')} (${range}): ${result.changed} changed.`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
