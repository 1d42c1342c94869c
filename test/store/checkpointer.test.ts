import Database from 'better-sqlite3'
import fs from 'node:fs'
import {afterEach, describe, expect, it} from 'vitest'

import {BackgroundCheckpointer, FALLBACK_AUTOCHECKPOINT_PAGES} from '../../src/store/sqlite/checkpointer.js'
import {testStore} from '../helpers/store.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function setup(timing = {intervalMs: 20, restartPages: 1_000_000}) {
  const store = testStore()
  const errors: string[] = []
  const checkpointer = new BackgroundCheckpointer(store, (message) => errors.push(message), timing)
  cleanups.push(async () => {
    await checkpointer.stop()
    store.cleanup()
  })
  store.sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)')
  return {store, checkpointer, errors}
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const insertNotes = (db: Database.Database, count: number) => {
  const insert = db.prepare('INSERT INTO notes (text) VALUES (?)')
  for (let i = 0; i < count; i++) insert.run('x'.repeat(500))
}

/** The rows in the database file itself, ignoring the WAL: what a checkpoint has copied back. */
function rowsInMainFile(file: string): number {
  const copy = `${file}.copy`
  fs.copyFileSync(file, copy)
  try {
    const db = new Database(copy, {readonly: true})
    try {
      const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'notes'`).get()
      return table ? (db.prepare(`SELECT count(*) AS n FROM notes`).get() as {n: number}).n : 0
    } finally {
      db.close()
    }
  } finally {
    fs.rmSync(copy, {force: true})
  }
}

describe('BackgroundCheckpointer', () => {
  it('copies committed pages into the store file from its own thread', async () => {
    const {store, checkpointer, errors} = setup()
    await checkpointer.start()
    // The server connection leaves checkpoints to the thread, with a high threshold as a safety net.
    expect(store.sqlite.pragma('wal_autocheckpoint', {simple: true})).toBe(FALLBACK_AUTOCHECKPOINT_PAGES)
    insertNotes(store.sqlite, 50)
    expect(rowsInMainFile(store.path)).toBe(0)
    await pause(300)
    expect(rowsInMainFile(store.path)).toBe(50)
    expect(errors).toEqual([])
  })

  it('makes the WAL start over under steady writes, so the file stops growing', async () => {
    // Writes without a pause for a while, sampling the WAL file: a PASSIVE checkpoint alone never
    // catches up with a writer that does not stop, so only the RESTART keeps the WAL bounded.
    const largestWal = async (restartPages: number) => {
      const {store, checkpointer, errors} = setup({intervalMs: 10, restartPages})
      await checkpointer.start()
      const insert = store.sqlite.prepare('INSERT INTO notes (text) VALUES (?)')
      const wal = `${store.path}-wal`
      let largest = 0
      const until = performance.now() + 1500
      for (let i = 1; performance.now() < until; i++) {
        insert.run('x'.repeat(500))
        if (i % 50 === 0) largest = Math.max(largest, fs.statSync(wal).size)
        // As a server does between requests: a moment in which no write transaction is open.
        if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      expect(errors).toEqual([])
      return largest / 4096
    }
    const unbounded = await largestWal(1_000_000_000)
    const bounded = await largestWal(100)
    expect(bounded).toBeLessThan(unbounded / 2)
  })

  it('stops with a last checkpoint and gives checkpoints back to the server connection', async () => {
    const {store, checkpointer} = setup({intervalMs: 60_000, restartPages: 1_000_000})
    await checkpointer.start()
    insertNotes(store.sqlite, 10)
    await checkpointer.stop()
    expect(rowsInMainFile(store.path)).toBe(10)
    expect(store.sqlite.pragma('wal_autocheckpoint', {simple: true})).toBe(1000)
    // Safe to call twice (the server's close hook and a signal may both stop it).
    await checkpointer.stop()
  })

  it('stops at once when its thread has already ended (the store file was gone when it started)', async () => {
    const {store, checkpointer, errors} = setup()
    fs.renameSync(store.path, `${store.path}.moved`)
    await checkpointer.start()
    fs.renameSync(`${store.path}.moved`, store.path)
    expect(errors).toEqual([expect.stringContaining('unable to open database file')])
    // Waiting for the thread's exit, which has come and gone, held the server's close forever.
    const stopped = await Promise.race([checkpointer.stop().then(() => 'stopped'), pause(5000).then(() => 'still waiting')])
    expect(stopped).toBe('stopped')
    expect(store.sqlite.pragma('wal_autocheckpoint', {simple: true})).toBe(1000)
  })

  it('does nothing for an in-memory store', async () => {
    const {openStore} = await import('../../src/db/open.js')
    const memory = openStore(':memory:')
    const checkpointer = new BackgroundCheckpointer(memory, () => {})
    await checkpointer.start()
    // No thread took over, so the connection keeps SQLite's own checkpoints.
    expect(memory.sqlite.pragma('wal_autocheckpoint', {simple: true})).toBe(1000)
    await checkpointer.stop()
    memory.close()
  })
})
