import fs from 'node:fs'

/**
 * A ZKTeco attlog export of `lines` punches as a USB download looks: `users` people punching in
 * (07:30–09:00) and out (16:30–18:30) day after day from `firstDay`, tab-separated, one per line.
 */
export function writeAttlog(file: string, lines: number, options: {users?: number; firstDay?: string; seed?: number} = {}): void {
  const users = options.users ?? 500
  const start = Date.parse(`${options.firstDay ?? '2024-01-01'}T00:00:00Z`)
  let seed = options.seed ?? 42
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const pad = (n: number) => String(n).padStart(2, '0')
  const fd = fs.openSync(file, 'w')
  let written = 0
  let chunk: string[] = []
  for (let day = 0; written < lines; day++) {
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10)
    for (let user = 1; user <= users && written < lines; user++) {
      for (const [from, span, status] of [[450, 90, 0], [990, 120, 1]]) {
        if (written >= lines) break
        const minute = from + Math.floor(random() * span)
        chunk.push(`${user}\t${date} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:${pad(Math.floor(random() * 60))}\t${status}\t1\t0\t0\t0`)
        written++
      }
      if (chunk.length >= 10_000) {
        fs.writeSync(fd, chunk.join('\n') + '\n')
        chunk = []
      }
    }
  }
  if (chunk.length > 0) fs.writeSync(fd, chunk.join('\n') + '\n')
  fs.closeSync(fd)
}
