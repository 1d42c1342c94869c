import cliProgress from 'cli-progress'

/** Where a bar draws: stderr, or a test's stand-in for a terminal. */
export type ProgressStream = NodeJS.WritableStream & {isTTY?: boolean; columns?: number}

export interface ProgressUpdate {
  /** How far, in the unit the bar measures (bytes of a file, employees). */
  value: number
  total: number
  /** What the rate counts, when it is not `value` (punches read while the bar measures bytes). */
  count?: number
  label?: string
}

export interface ProgressBar {
  update(progress: ProgressUpdate): void
  /** Clears the bar and gives the terminal back as it was (cursor shown, nothing left on the line). */
  stop(): void
}

export interface ProgressOptions {
  /** What is counted, plural: `punches`, `employees`. */
  unit: string
  stream?: ProgressStream
  /** Hide the cursor while drawing: only for work that stops the bar on Ctrl-C (see import). */
  hideCursor?: boolean
  now?: () => number
}

/**
 * A progress bar with the rate and the time left, on a terminal only (callers check isTTY and
 * --json). The rate and the estimate are ours, from the clock given, so they can be tested; the
 * estimate is the time so far scaled by what is left (bytes of a file read at a steady pace).
 */
export function progressBar(options: ProgressOptions): ProgressBar {
  const now = options.now ?? Date.now
  const bar = new cliProgress.SingleBar(
    {
      // Fits an 80-column terminal with a 20-character label: the bar is cut at the terminal's width.
      format: '{label}[{bar}] {percentage}% · {count} {unit} · {rate} · {timeLeft}',
      stream: options.stream ?? process.stderr,
      hideCursor: options.hideCursor ?? false,
      clearOnComplete: true,
      barsize: 20,
    },
    cliProgress.Presets.shades_classic,
  )
  // The work started when the bar was made, before the first report of progress; a later file
  // (a new label) starts its own clock.
  let startedAt = now()
  let drawing = false
  let label: string | undefined
  const payload = (p: ProgressUpdate) => {
    const elapsed = (now() - startedAt) / 1000
    const count = p.count ?? p.value
    return {
      label: p.label ? `${shortLabel(p.label)} ` : '',
      count: count.toLocaleString('en-US'),
      unit: options.unit,
      rate: rateText(count, elapsed),
      timeLeft: etaText(p.value, p.total, elapsed),
    }
  }
  return {
    update(p) {
      const total = Math.max(p.total, p.value, 1)
      if (!drawing || p.label !== label) {
        if (drawing) {
          bar.stop()
          startedAt = now()
        }
        drawing = true
        label = p.label
        bar.start(total, p.value, payload(p))
        return
      }
      bar.setTotal(total)
      bar.update(p.value, payload(p))
    },
    stop() {
      if (drawing) bar.stop()
      drawing = false
    },
  }
}

/** A file's name without its folders, at most 20 characters (`…` marks a cut). */
function shortLabel(label: string): string {
  const name = label.split(/[\\/]/).at(-1) ?? label
  return name.length <= 20 ? name : `${name.slice(0, 19)}…`
}

/** `12,300/s` (of the unit the bar counts); nothing measurable in the first instant. */
export function rateText(count: number, seconds: number): string {
  if (seconds < 0.05 || count === 0) return '–/s'
  const rate = count / seconds
  return `${rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1)}/s`
}

/** `2m 05s left`, from the pace so far; `done` at the end. */
export function etaText(value: number, total: number, seconds: number): string {
  if (value >= total) return 'done'
  if (value <= 0 || seconds < 0.05) return 'time left: –'
  const left = Math.round((seconds * (total - value)) / value)
  if (left >= 3600) return `${Math.floor(left / 3600)}h ${String(Math.floor((left % 3600) / 60)).padStart(2, '0')}m left`
  if (left >= 60) return `${Math.floor(left / 60)}m ${String(left % 60).padStart(2, '0')}s left`
  return `${left}s left`
}
