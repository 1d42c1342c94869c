import {describe, expect, it} from 'vitest'

import {CTRL_C, linesBeforeCtrlC, withCtrlC} from './background.js'
import {Learned, parseConsoleBlocks, withOutputs, withoutNoise} from './console-blocks.js'

const md = [
  '## Setup', // 1
  '```console', // 2
  '$ attend init --timezone Africa/Nairobi', // 3
  'Created store /home/admin/attend.db', // 4
  '', // 5
  '$ curl -s -X POST http://127.0.0.1:8080/x \\', // 6
  "    -d '{}'", // 7
  '{"ok":true}', // 8
  '```', // 9
  '## Later', // 10
  '<!-- readme: not run, needs a terminal -->', // 11
  '```console', // 12
  '$ attend pull', // 13
  '```', // 14
  '```sh', // 15
  '$ not a console block', // 16
  '```', // 17
].join('\n')

describe('parseConsoleBlocks', () => {
  it('splits blocks into commands (continuations joined) and what each prints', () => {
    expect(parseConsoleBlocks(md)).toEqual([
      {
        line: 2,
        section: 'Setup',
        skip: null,
        commands: [
          {line: 3, command: 'attend init --timezone Africa/Nairobi', expected: 'Created store /home/admin/attend.db', outputLine: 4, outputLines: 1},
          {line: 6, command: "curl -s -X POST http://127.0.0.1:8080/x \\\n    -d '{}'", expected: '{"ok":true}', outputLine: 8, outputLines: 1},
        ],
      },
      {line: 12, section: 'Later', skip: 'needs a terminal', commands: [{line: 13, command: 'attend pull', expected: '', outputLine: 14, outputLines: 0}]},
    ])
  })

  it('writes what commands printed back in place of what the README showed', () => {
    const [first, second] = parseConsoleBlocks(md)
    const updated = withOutputs(md, [
      {step: first.commands[0], output: 'Created store /home/admin/attend.db\nTime zone: Africa/Nairobi\n'},
      {step: second.commands[0], output: 'Pulled 3 punches.\n'},
    ])
    expect(updated.split('\n').slice(2, 6)).toEqual(['$ attend init --timezone Africa/Nairobi', 'Created store /home/admin/attend.db', 'Time zone: Africa/Nairobi', ''])
    expect(updated.split('\n').slice(13, 16)).toEqual(['$ attend pull', 'Pulled 3 punches.', '```'])
  })
})

describe('Learned', () => {
  it('pairs a printed key with the real one, then types the real one and shows the printed one', () => {
    const learned = new Learned()
    const readme = 'Created API key "HR portal" (prefix 6fd0e6b5): scopes read.\n  att_6fd0e6b5_ZcJWO-OLzW884zpRW7xAa7mJecxxau1XeYl3bvig-38'
    const real = 'Created API key "HR portal" (prefix 0a1b2c3d): scopes read.\n  att_0a1b2c3d_QQQQQ-OLzW884zpRW7xAa7mJecxxau1XeYl3bvig-99'
    learned.learn(readme, real)
    expect(learned.output(real)).toBe(readme)
    expect(learned.command('KEY=att_6fd0e6b5_ZcJWO-OLzW884zpRW7xAa7mJecxxau1XeYl3bvig-38')).toBe('KEY=att_0a1b2c3d_QQQQQ-OLzW884zpRW7xAa7mJecxxau1XeYl3bvig-99')
    expect(learned.output('Name  Prefix\nHR    0a1b2c3d')).toBe('Name  Prefix\nHR    6fd0e6b5')
  })

  it('learns where Ctrl-C landed in an import, and replaces such counts as whole numbers only', () => {
    const learned = new Learned()
    learned.learn(
      'big-attlog.dat (attlog): 36000 read, 36000 stored, 0 duplicates, 36000 unmapped, 0 rejected (interrupted)',
      'big-attlog.dat (attlog): 50000 read, 50000 stored, 0 duplicates, 50000 unmapped, 0 rejected (interrupted)',
    )
    learned.learn(
      'big-attlog.dat (attlog): 500000 read, 464000 stored, 36000 duplicates, 464000 unmapped, 0 rejected',
      'big-attlog.dat (attlog): 500000 read, 450000 stored, 50000 duplicates, 450000 unmapped, 0 rejected',
    )
    expect(learned.output('big-attlog.dat (attlog): 500000 read, 450000 stored, 50000 duplicates, 450000 unmapped, 0 rejected')).toBe(
      'big-attlog.dat (attlog): 500000 read, 464000 stored, 36000 duplicates, 464000 unmapped, 0 rejected',
    )
  })

  it('does not learn values too short to stand for one thing ("0" would change every zero)', () => {
    const learned = new Learned()
    learned.learn('big-attlog.dat (attlog): 9 read, 0 stored, 9 duplicates', 'big-attlog.dat (attlog): 9 read, 7 stored, 2 duplicates')
    expect(learned.output('CDQ9192960002: 7 stored')).toBe('CDQ9192960002: 7 stored')
  })

  it('learns nothing from output that differs in more than volatile values', () => {
    const learned = new Learned()
    learned.learn('Revoked API key "HR portal" (prefix 6fd0e6b5).', 'No API key named "HR portal".')
    expect(learned.output('prefix 0a1b2c3d')).toBe('prefix 0a1b2c3d')
  })
})

describe('withoutNoise', () => {
  it.each([
    ['Sent evt_1 to http://x: HTTP 200 in 12 ms (delivery 1).', 'Sent evt_1 to http://x: HTTP 200 in N ms (delivery 1).'],
    ['{"uptime_seconds":13,"time":"2026-03-16T09:00:00.000Z"}', '{"uptime_seconds":N,"time":"2026-03-16T09:00:00.000Z"}'],
    ['Backed up a to b: 268 KB, 5 employees', 'Backed up a to b: N KB, 5 employees'],
    ['late   12  \n', 'late   12'],
    ['present 5 of 5', 'present 5 of 5'],
    // A retry's jittered due time, and how long a receiver took to answer in an attempts table.
    [' 5    1    evt_1    user.updated    pending    1    2026-03-16 12:00:05    answered 503', '5    1    evt_1    user.updated    pending    1    2026-03-16 12:00:SS    answered 503'],
    ['Status: pending, next attempt 2026-03-16 12:00:04; 1 attempt', 'Status: pending, next attempt 2026-03-16 12:00:SS; 1 attempt'],
    ['Attempt    At    Status     ms    Error\n      1    2026-03-16 12:00:00    503       196    -        Busy', 'Attempt    At    Status ms Error\n      1    2026-03-16 12:00:00    503 N -        Busy'],
  ])('%j → %j', (text, normal) => expect(withoutNoise(text)).toBe(normal))
})

describe('Ctrl-C in a console block', () => {
  it('is pressed once the lines the README shows before it are out, and shown where it was pressed', () => {
    const expected = 'attend serve: site time zone Africa/Nairobi\n\nattend serve: listening on http://0.0.0.0:8080\n^C\nattend serve: stopped'
    expect(linesBeforeCtrlC(expected)).toBe(2)
    expect(linesBeforeCtrlC(`${CTRL_C}\nStopping the import…`)).toBe(0)
    expect(withCtrlC('a\nb\n', 'c\n')).toBe('a\nb\n^C\nc\n')
    expect(withCtrlC('', 'Stopping\n')).toBe('^C\nStopping\n')
  })
})
