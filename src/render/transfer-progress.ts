import cliProgress from 'cli-progress'

export interface TransferProgress {
  update(key: string, label: string, bytes: number, total: number): void
  stop(): void
}

/**
 * Progress bars for reads from devices, one per device, on stderr. Only on a terminal and without
 * --json (the caller decides): piped output and scripts never see them. Small reads (a few KiB,
 * done at once) get no bar.
 */
export function transferProgress(minBytes = 64 * 1024): TransferProgress {
  const bars = new cliProgress.MultiBar(
    {format: '{label} [{bar}] {percentage}% | {kib}/{totalKib} KiB', stream: process.stderr, hideCursor: true, clearOnComplete: true},
    cliProgress.Presets.shades_classic,
  )
  const shown = new Map<string, cliProgress.SingleBar>()
  const kib = (n: number): string => (n / 1024).toFixed(0)
  return {
    update(key, label, bytes, total) {
      if (total < minBytes) return
      let bar = shown.get(key)
      if (!bar) {
        bar = bars.create(total, 0, {label, kib: '0', totalKib: kib(total)})
        shown.set(key, bar)
      }
      bar.setTotal(total)
      bar.update(bytes, {label, kib: kib(bytes), totalKib: kib(total)})
    },
    stop() {
      bars.stop()
    },
  }
}
