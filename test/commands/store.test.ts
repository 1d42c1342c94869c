import fs from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {errorText, runAttend, tempDir} from '../helpers/cli.js'
import {spawnServe} from '../server/spawn-serve.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('a store that does not exist', () => {
  it('is refused by every command but init and serve (exit 2, the path named), and no file appears', async () => {
    const typo = path.join(tmp.dir, 'atend.db')
    const viaFlag = await runAttend(['employees', 'list', '--db', typo])
    expect(viaFlag.exitCode).toBe(2)
    expect(errorText(viaFlag.stderr)).toBe(`Error: No attend store at ${typo} (from --db): check the path, or create the store with attend init --db ${typo}.`)

    const viaEnv = await runAttend(['report', 'summary', '--from', '2026-03-01', '--to', '2026-03-31'], {env: {ATTEND_DB: typo}})
    expect(viaEnv.exitCode).toBe(2)
    expect(errorText(viaEnv.stderr)).toBe(`Error: No attend store at ${typo} (from ATTEND_DB): check the path, or create the store with attend init.`)

    const json = await runAttend(['config', 'get', '--json'], {env: {ATTEND_DB: typo}})
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout).error.code).toBe('store_missing')
    // A command on the store port reports it once, with the usage exit code.
    const devices = await runAttend(['devices', 'list'], {env: {ATTEND_DB: typo}})
    expect([devices.exitCode, errorText(devices.stderr)]).toEqual([2, `Error: No attend store at ${typo} (from ATTEND_DB): check the path, or create the store with attend init.`])
    expect(fs.existsSync(typo)).toBe(false)
  })

  it('init creates it, missing folders included', async () => {
    const deep = path.join(tmp.dir, 'var', 'lib', 'attend', 'attend.db')
    const result = await runAttend(['init', '--db', deep, '--timezone', 'Africa/Nairobi'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Created store ${deep}`)
    expect(fs.existsSync(deep)).toBe(true)
    expect((await runAttend(['config', 'get', 'timezone', '--db', deep])).stdout).toBe('Africa/Nairobi\n')
  })

  it('serve creates it and says the zone is UTC until attend init sets it', async () => {
    const db = path.join(tmp.dir, 'served.db')
    const first = await spawnServe([], {ATTEND_DB: db})
    await waitFor(() => /site time zone/.test(first.stderr()))
    expect(first.stderr()).toContain('attend serve: site time zone UTC (not set yet: attend init --timezone ZONE sets it)')
    first.child.kill('SIGTERM')
    await first.exited
    expect((await runAttend(['config', 'get', 'timezone'], {env: {ATTEND_DB: db}})).stdout).toBe('UTC\n')

    expect((await runAttend(['init', '--timezone', 'Asia/Kolkata'], {env: {ATTEND_DB: db}})).exitCode).toBe(0)
    const second = await spawnServe([], {ATTEND_DB: db})
    await waitFor(() => /site time zone/.test(second.stderr()))
    expect(second.stderr()).toContain('attend serve: site time zone Asia/Kolkata\n')
    second.child.kill('SIGTERM')
    await second.exited
  })
})

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
