import {spawn} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {runAttend, tempDir} from '../helpers/cli.js'
import {withStoreAt} from '../helpers/store.js'
import {punches} from './fixtures.js'
import {useEmulators} from './helpers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const tmp = tempDir()
afterAll(() => tmp.cleanup())
const emulator = useEmulators()

const NOW = '2026-03-12T09:00:00Z'

describe('attend pull --clear-after is crash-safe', () => {
  it('keeps the records on the device when the process dies between reading and committing', async () => {
    const db = path.join(tmp.dir, 'crash.db')
    withStoreAt(db, (store) => writeSettings(store, {timezone: 'Africa/Nairobi'}, Date.parse(NOW)))
    const env = {ATTEND_DB: db, ATTEND_NOW: NOW}

    // Another writer holds the store's write lock from the moment the last chunk is on its way:
    // the pull has read everything and then waits to commit, where it is killed.
    const blocker = openStore(db)
    let locked = false
    const records = punches(3000)
    const device = await emulator({
      records,
      beforeChunkDone: ({table, index}) => {
        if (table === 'attendance' && index === 1 && !locked) {
          blocker.sqlite.exec('BEGIN IMMEDIATE')
          locked = true
        }
      },
    })
    const added = await runAttend(['devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Main gate', '--mode', 'agent', '--ip', '127.0.0.1', '--port', String(device.port)], {env})
    expect(added.exitCode).toBe(0)

    const child = spawn(process.execPath, [path.join(root, 'bin', 'run.js'), 'pull', '--clear-after', '--yes'], {cwd: root, env: {...process.env, ...env}, stdio: 'ignore'})
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)))
    await new Promise<void>((resolve) => device.once('freed', () => resolve()))
    // Give it time to reach the commit, where it now waits for the lock.
    await new Promise((resolve) => setTimeout(resolve, 300))
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    blocker.sqlite.exec('ROLLBACK')
    blocker.close()

    expect(device.log.map((l) => l.command)).not.toContain('CMD_CLEAR_ATTLOG')
    expect(device.records).toHaveLength(3000)
    expect(withStoreAt(db, (store) => store.sqlite.prepare('SELECT count(*) AS n FROM punches').get())).toEqual({n: 0})

    // Run again once the dead process's lease has run out: everything is stored, then cleared.
    const later = {...env, ATTEND_NOW: '2026-03-12T09:03:00Z'}
    const again = await runAttend(['pull', '--clear-after', '--yes'], {env: later})
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toMatch(/3000 records read, 3000 new, .*; device log cleared\n$/)
    expect(withStoreAt(db, (store) => store.sqlite.prepare('SELECT count(*) AS n FROM punches').get())).toEqual({n: 3000})
    expect(device.records).toEqual([])
  })

  it('tells a second process that the device is busy while the first holds it', async () => {
    const db = path.join(tmp.dir, 'busy.db')
    withStoreAt(db, (store) => writeSettings(store, {timezone: 'Africa/Nairobi'}, Date.parse(NOW)))
    const env = {ATTEND_DB: db, ATTEND_NOW: NOW}
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const device = await emulator({records: punches(3000), beforeChunkDone: ({index}) => (index === 0 ? held : undefined)})
    await runAttend(['devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Main gate', '--mode', 'agent', '--ip', '127.0.0.1', '--port', String(device.port)], {env})
    const first = runAttend(['pull'], {env})
    while (!device.log.some((l) => l.command === 'CMD_READ_BUFFER')) await new Promise((resolve) => setTimeout(resolve, 20))
    const second = await runAttend(['pull'], {env})
    release()
    expect(second.exitCode).toBe(3)
    expect(second.stderr).toBe('CDQ9192960002 (Main gate): failed: another attend process is reading it (attend pull or attend serve --pull-every); its turn ends by 2026-03-12T09:02:00.000Z\n')
    expect((await first).exitCode).toBe(0)
    expect(device.maxTcpSessions).toBe(1)
  })
})
