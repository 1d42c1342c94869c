import fs from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {describePg, usePgDatabase} from '../helpers/pg.js'

const tmp = tempDir()
const db = path.join(tmp.dir, 'attend.db')
const env = {ATTEND_DB: db}
afterAll(() => tmp.cleanup())

describe('attend config', () => {
  it('names an unknown key (exit 2) without creating the store', async () => {
    for (const args of [['config', 'set', 'time-zone', 'Africa/Nairobi'], ['config', 'get', 'colour']]) {
      const result = await runAttend(args, {env})
      expect(result.exitCode).toBe(2)
      expect(errorText(result.stderr)).toBe(`Error: Unknown config key "${args[2]}": expected one of timezone, week-off, default-shift, report-title, synchronous, future-margin, device-offline-after, webhook-retention.`)
    }
    expect(fs.existsSync(db)).toBe(false)
  })

  it('sets a value, and a bad value leaves the stored one', async () => {
    expect((await runAttend(['init', '--timezone', 'UTC'], {env})).exitCode).toBe(0)
    expect(await runJson(['config', 'set', 'timezone', 'Asia/Kolkata'], {env})).toEqual({key: 'timezone', value: 'Asia/Kolkata'})
    const bad = await runAttend(['config', 'set', 'timezone', 'Asia/Atlantis'], {env})
    expect(bad.exitCode).toBe(2)
    expect(errorText(bad.stderr)).toBe('Error: Unknown time zone "Asia/Atlantis": expected an IANA name such as Europe/Warsaw or Asia/Kolkata.')
    expect((await runAttend(['config', 'get', 'timezone'], {env})).stdout).toBe('Asia/Kolkata\n')
  })

  it('future-margin: 1d by default, set in minutes, hours or days, or off; a bad value names the forms', async () => {
    expect((await runAttend(['config', 'get', 'future-margin'], {env})).stdout).toBe('1d\n')
    expect(await runJson(['config', 'set', 'future-margin', '90'], {env})).toEqual({key: 'future-margin', value: '90m'})
    expect(await runJson(['config', 'set', 'future-margin', '12h'], {env})).toEqual({key: 'future-margin', value: '12h'})
    expect(await runJson(['config', 'set', 'future-margin', '2d'], {env})).toEqual({key: 'future-margin', value: '2d'})
    expect(await runJson(['config', 'set', 'future-margin', 'off'], {env})).toEqual({key: 'future-margin', value: 'off'})
    const bad = await runAttend(['config', 'set', 'future-margin', 'soon'], {env})
    expect(bad.exitCode).toBe(2)
    expect(errorText(bad.stderr)).toBe('Error: Invalid future margin "soon": expected a duration such as 30m, 12h or 1d (at most 366d), or off.')
  })
})

describePg('attend config get on PostgreSQL', () => {
  const database = usePgDatabase()

  it('shows the settings of a store moved to PostgreSQL as SQLite showed them', async () => {
    const site = tempDir()
    try {
      const env = {ATTEND_DB: path.join(site.dir, 'site.db')}
      expect((await runAttend(['init', '--timezone', 'Africa/Nairobi'], {env})).exitCode).toBe(0)
      for (const [key, value] of [['timezone', 'Africa/Nairobi'], ['week-off', 'fri,sat'], ['webhook-retention', '7d'], ['report-title', 'Greenfield Academy']]) {
        expect((await runAttend(['config', 'set', key, value], {env})).exitCode).toBe(0)
      }
      const onSqlite = await runAttend(['config', 'get'], {env})
      expect((await runAttend(['db', 'copy', '--to', database.url], {env})).exitCode).toBe(0)

      const all = await runAttend(['config', 'get', '--db', database.url])
      expect(all.exitCode).toBe(0)
      expect(all.stdout).toBe(onSqlite.stdout)
      expect(all.stdout).toContain('week-off=fri,sat\n')
      expect((await runAttend(['config', 'get', 'webhook-retention', '--db', database.url])).stdout).toBe('7d\n')
      expect(await runJson(['config', 'get', 'timezone', '--db', database.url])).toEqual([{key: 'timezone', value: 'Africa/Nairobi'}])
    } finally {
      site.cleanup()
    }
  })
})
