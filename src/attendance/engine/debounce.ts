/**
 * Punches of one person closer than `seconds` to the last kept one count once (a finger held on the
 * reader, a double tap). The first of a cluster is kept.
 */
export function debounce<P extends {instant: number}>(sorted: readonly P[], seconds: number): P[] {
  if (seconds <= 0 || sorted.length < 2) return [...sorted]
  const window = seconds * 1000
  const kept: P[] = [sorted[0]]
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].instant - kept[kept.length - 1].instant >= window) kept.push(sorted[i])
  }
  return kept
}
