import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'

import {etaText, progressBar, rateText, type ProgressStream} from '../../src/render/progress.js'

const ESC = String.fromCharCode(27)

/** A stand-in terminal: what a bar writes, as a terminal would receive it. */
function terminal(): {stream: ProgressStream; text: () => string} {
  const stream = Object.assign(new PassThrough(), {isTTY: true, columns: 80})
  let written = ''
  stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')))
  return {stream, text: () => written}
}

describe('progressBar', () => {
  it('shows how many, the rate and the time left, and gives the terminal back on stop', () => {
    let clock = 0
    const tty = terminal()
    const bar = progressBar({unit: 'punches', stream: tty.stream, hideCursor: true, now: () => clock})
    bar.update({label: '/var/exports/attlog.dat', value: 0, total: 1_000_000, count: 0})
    clock = 4000
    // A quarter of the bytes in 4 s, 25 000 punches: 6 250 a second, 12 s to go.
    bar.update({label: '/var/exports/attlog.dat', value: 250_000, total: 1_000_000, count: 25_000})
    bar.stop()
    const out = tty.text()
    expect(out).toContain('\u001B[?25l')
    expect(out).toContain(`${ESC}[1Gattlog.dat [${'█'.repeat(5)}${'░'.repeat(15)}] 25% · 25,000 punches · 6,250/s · 12s left${ESC}[0K`)
    // Cursor shown again and the bar's line cleared: the next output starts on a clean line.
    const afterLastDraw = out.slice(out.lastIndexOf('12s left'))
    expect(afterLastDraw).toContain('\u001B[?25h')
    expect(afterLastDraw.endsWith('\u001B[2K')).toBe(true)
  })

  it('never hides the cursor of synchronous work (Ctrl-C ends it before any handler runs)', () => {
    const tty = terminal()
    const bar = progressBar({unit: 'employees', stream: tty.stream, now: () => 0})
    bar.update({label: 'Recomputing', value: 1, total: 3})
    bar.stop()
    expect(tty.text()).not.toContain('\u001B[?25l')
  })

  it('starts a new bar for a new label (the next file)', () => {
    let clock = 0
    const tty = terminal()
    const bar = progressBar({unit: 'punches', stream: tty.stream, now: () => clock})
    bar.update({label: 'a.dat', value: 10, total: 10, count: 5})
    clock = 1000
    bar.update({label: 'b.dat', value: 0, total: 100, count: 0})
    bar.stop()
    expect(tty.text()).toContain('a.dat [')
    expect(tty.text()).toContain('b.dat [')
  })
})

describe('rate and time left', () => {
  it.each([
    [0, 1, '–/s'],
    [100, 0.01, '–/s'],
    [5, 2, '2.5/s'],
    [123_456, 2, '61,728/s'],
  ])('%d in %d s → %s', (count, seconds, text) => expect(rateText(count, seconds)).toBe(text))

  it.each([
    [0, 100, 10, 'time left: –'],
    [50, 100, 10, '10s left'],
    [10, 100, 10, '1m 30s left'],
    [1, 1000, 10, '2h 46m left'],
    [100, 100, 10, 'done'],
  ])('%d of %d after %d s → %s', (value, total, seconds, text) => expect(etaText(value, total, seconds)).toBe(text))
})
