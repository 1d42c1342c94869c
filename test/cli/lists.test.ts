import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runAttend, runJson, tempDir} from '../helpers/cli.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const tmp = tempDir()
const env = {ATTEND_DB: path.join(tmp.dir, 'attend.db'), ATTEND_NOW: '2026-03-13T12:00:00Z'}
afterAll(() => tmp.cleanup())

/** Two of everything, so a page of one shows the envelope at work. */
beforeAll(async () => {
  const run = async (...args: string[]) => {
    const result = await runAttend(args, {env})
    if (result.exitCode !== 0) throw new Error(`attend ${args.join(' ')}: ${result.stderr}`)
  }
  await run('init', '--timezone', 'Africa/Nairobi')
  // Each employee added queues a user.created delivery to both (nothing is sent: no server runs).
  await run('webhooks', 'add', 'http://127.0.0.1:9/hooks', '--events', 'user.created')
  await run('webhooks', 'add', 'http://127.0.0.1:9/other', '--events', 'user.created')
  await run('employees', 'add', '--code', 'EMP001', '--name', 'Asha Kamau', '--department', 'Teaching')
  await run('employees', 'add', '--code', 'EMP002', '--name', 'Brian Otieno', '--department', 'Teaching')
  await run('devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Main gate')
  await run('devices', 'add', '--serial', 'AOXP182960456', '--name', 'Staff room')
  await run('devices', 'queue', 'CDQ9192960002', '--users')
  await run('devices', 'queue', 'CDQ9192960002', '--info')
  await run('keys', 'create', '--name', 'HR portal')
  await run('keys', 'create', '--name', 'gate-bridge')
  await run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
  await run('shifts', 'add', 'Night', '--start', '22:00', '--end', '06:00')
  await run('rosters', 'add', 'Guards', '--cycle', 'Day,Night,off')
  await run('rosters', 'add', 'Cleaners', '--cycle', 'Day,off')
  await run('shifts', 'assign', 'Day', '--employee', 'EMP001', '--from', '2026-03-01')
  await run('shifts', 'assign', 'Night', '--department', 'Teaching', '--from', '2026-03-01')
  await run('holidays', 'add', '2026-03-05', 'Founders Day')
  await run('holidays', 'add', '2026-04-03', 'Good Friday')
  await run('leaves', 'add', 'EMP001', '--from', '2026-03-09', '--to', '2026-03-09')
  await run('leaves', 'add', 'EMP002', '--from', '2026-03-10', '--to', '2026-03-10')
  await run('map', 'add', '77', 'EMP001')
  await run('map', 'add', '78', 'EMP002')
  await run('punches', 'add', 'EMP001', '--at', '2026-03-12 08:00')
  await run('punches', 'add', 'EMP001', '--at', '2026-03-12 17:00')
  await run('import', path.join(root, 'test/fixtures/cams-batch.json'))
  await run('import', path.join(root, 'test/fixtures/events.jsonl'))
}, 300_000) // two dozen CLI runs: minutes on a loaded machine

/** Every list command, with the key its rows come under. */
const lists: Array<[string[], string]> = [
  [['employees', 'list'], 'employees'],
  [['devices', 'list'], 'devices'],
  [['devices', 'commands', 'CDQ9192960002'], 'commands'],
  [['keys', 'list'], 'keys'],
  [['shifts', 'list'], 'shifts'],
  [['shifts', 'assignments'], 'assignments'],
  [['rosters', 'list'], 'rosters'],
  [['holidays', 'list'], 'holidays'],
  [['leaves', 'list'], 'leaves'],
  [['map', 'list'], 'mappings'],
  [['map', 'list', '--unmapped'], 'unmapped'],
  [['punches', 'list'], 'punches'],
  [['imports', 'list'], 'imports'],
  [['webhooks', 'list'], 'webhooks'],
  [['webhooks', 'deliveries'], 'deliveries'],
  [['attendance', 'list', '--from', '2026-03-09', '--to', '2026-03-12'], 'days'],
]

describe('the --json of every list command', () => {
  it('covers every list command there is', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, unknown>}>}
    const listIds = Object.keys(manifest.commands).filter((id) => id.endsWith(':list') || ['shifts:assignments', 'devices:commands', 'webhooks:deliveries'].includes(id))
    expect(listIds.sort()).toEqual([...new Set(lists.map(([args]) => args.slice(0, 2).filter((a) => !a.startsWith('-') && a !== 'CDQ9192960002').join(':')))].sort())
    for (const id of listIds) expect(Object.keys(manifest.commands[id].flags), id).toEqual(expect.arrayContaining(['limit', 'offset']))
  })

  it.each(lists)('attend %j is {total, offset, limit, %s} and pages with --limit/--offset', async (args, key) => {
    const all = await runJson<Record<string, unknown>>(args, {env})
    expect(Object.keys(all).slice(0, 4)).toEqual(['total', 'offset', 'limit', key])
    const total = all.total as number
    expect(total).toBeGreaterThanOrEqual(2)
    expect((all[key] as unknown[]).length).toBe(Math.min(total, (all.limit as number | null) ?? total))

    const second = await runJson<Record<string, unknown>>([...args, '--limit', '1', '--offset', '1'], {env})
    expect(second).toMatchObject({total, offset: 1, limit: 1})
    // Punch pages count back from the newest punch (each page shown oldest first).
    const rows = all[key] as unknown[]
    expect(second[key]).toEqual([key === 'punches' ? rows.at(-2) : rows[1]])
  })

  it('says which part a table shows, and what is past the end', async () => {
    const part = await runAttend(['employees', 'list', '--limit', '1', '--offset', '1'], {env})
    expect(part.stdout.trimEnd().split('\n').at(-1)).toBe('Showing 2–2 of 2.')
    const first = await runAttend(['keys', 'list', '--limit', '1'], {env})
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe('Showing 1–1 of 2 (--offset 1 for more).')
    const past = await runAttend(['holidays', 'list', '--offset', '5'], {env})
    expect(past.stdout).toBe('Nothing after offset 5 (2 match).\n')
  })
})
