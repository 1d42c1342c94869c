/** One fixed window of a rate limit: at most `max` requests per `windowMs`. */
export interface RateWindow {
  windowMs: number
  max: number
}

/** A window's count as it stands (after this request when it was counted). */
export interface WindowCount extends RateWindow {
  hits: number
  /** When the window ends and its count starts over (UTC epoch ms). */
  resetAt: number
}

/**
 * Rate-limit counters in the store, so a limit holds however many servers share it
 * (docs/architecture.md, "The store port"): a section of the store port. Windows are fixed —
 * `[floor(now / windowMs) * windowMs, + windowMs)` — one row per subject and window start, counted
 * up by an atomic upsert. Every operation is one unit of work.
 */
/** What a consume decided, and when its count is in the store. */
export interface Consumption {
  counted: boolean
  windows: WindowCount[]
  /**
   * Set when the count was decided before it was written (SQLite, far from every limit): resolves
   * once it is committed. The server answers the request only then, so the next request — on this
   * server or another — sees it.
   */
  written?: Promise<unknown>
}

export interface RateLimits {
  /**
   * Counts one request of `subject` in every window when each of them has room (fewer hits than its
   * max), and returns the counts after; when one has none, counts nothing (a refused request does
   * not use up the other windows) and returns the counts as they are. Two servers may both see the
   * last free slot: the counts returned are exact, so the caller refuses the one whose count went
   * past the max.
   */
  consume(subject: string, windows: readonly RateWindow[], now: number): Promise<Consumption>
  /** Counts one event in every window, room or not (failed sign-ins), and returns the counts after. */
  hit(subject: string, windows: readonly RateWindow[], now: number): Promise<WindowCount[]>
  /** The counts without counting. */
  peek(subject: string, windows: readonly RateWindow[], now: number): Promise<WindowCount[]>
  /** Deletes the rows of windows that ended at or before `now`; returns how many. */
  prune(now: number): Promise<number>
}

/** A window's row: its key and when it ends. Shared by both adapters. */
export interface WindowRow extends RateWindow {
  key: string
  resetAt: number
}

/**
 * The rows `windows` count in for `subject` at `now`, one per window length (two limits over the
 * same length count the same requests: the smaller max holds), shortest first — the order every
 * server upserts them in, so two never wait on each other's rows crosswise.
 */
export function windowRows(subject: string, windows: readonly RateWindow[], now: number): WindowRow[] {
  const byLength = new Map<number, number>()
  for (const w of windows) byLength.set(w.windowMs, Math.min(w.max, byLength.get(w.windowMs) ?? Number.POSITIVE_INFINITY))
  return [...byLength]
    .sort(([a], [b]) => a - b)
    .map(([windowMs, max]) => {
      const start = Math.floor(now / windowMs) * windowMs
      return {key: `${subject}@${windowMs}:${start}`, windowMs, max, resetAt: start + windowMs}
    })
}

export function windowCount(row: WindowRow, hits: number): WindowCount {
  return {windowMs: row.windowMs, max: row.max, hits, resetAt: row.resetAt}
}
