#!/usr/bin/env node
// Writes a ZKTeco attlog.dat of COUNT punches to stdout, for trying a large import:
//   node docs/examples/make-attlog.js 500000 > big-attlog.dat
// 800 device users punch in turn, seven seconds apart, from 5 January 2026, in the layout a
// terminal's USB export has (padded PIN, tab-separated, CRLF).
const count = Number(process.argv[2])
if (!Number.isInteger(count) || count < 1) {
  console.error('Usage: node docs/examples/make-attlog.js COUNT > FILE')
  process.exit(2)
}
const start = Date.UTC(2026, 0, 5, 5, 0, 0)
const lines = []
for (let i = 0; i < count; i++) {
  const time = new Date(start + i * 7000).toISOString().slice(0, 19).replace('T', ' ')
  lines.push(`${String(1 + (i % 800)).padStart(5, ' ')}\t${time}\t1\t${i % 2}\t1\t0\r\n`)
  if (lines.length === 10_000) process.stdout.write(lines.splice(0).join(''))
}
process.stdout.write(lines.join(''))
