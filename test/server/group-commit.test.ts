import Database from 'better-sqlite3'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {GroupCommit} from '../../src/server/group-commit.js'
import {tempDir} from '../helpers/cli.js'
import {testStore} from '../helpers/store.js'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

function store() {
  const s = testStore()
  cleanups.push(s.cleanup)
  s.sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)')
  return s
}

const countNotes = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM notes').get() as {n: number}).n

describe('GroupCommit', () => {
  it('runs the work of one event-loop turn in one transaction and answers only after it committed', async () => {
    const s = store()
    const observer = new Database(s.path, {readonly: true})
    cleanups.unshift(() => observer.close())
    const writes = new GroupCommit(s)
    const seenByOthers: number[] = []
    const insert = (text: string) => () => {
      // What another connection sees while this job runs: nothing of the jobs before it.
      seenByOthers.push(countNotes(observer))
      return Number(s.sqlite.prepare('INSERT INTO notes (text) VALUES (?)').run(text).lastInsertRowid)
    }
    const ids = await Promise.all([writes.run(insert('a')), writes.run(insert('b')), writes.run(insert('c'))])
    expect(ids).toEqual([1, 2, 3])
    expect(seenByOthers).toEqual([0, 0, 0])
    expect(countNotes(observer)).toBe(3)
  })

  it('rolls back only the job that failed; the others commit and get their results', async () => {
    const s = store()
    const writes = new GroupCommit(s)
    const results = await Promise.allSettled([
      writes.run(() => s.sqlite.prepare(`INSERT INTO notes (text) VALUES ('kept')`).run().changes),
      writes.run(() => {
        s.sqlite.prepare(`INSERT INTO notes (text) VALUES ('undone')`).run()
        throw new Error('invalid punch')
      }),
      writes.run(() => s.sqlite.prepare(`INSERT INTO notes (text) VALUES ('kept too')`).run().changes),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('invalid punch'))
    expect(s.sqlite.prepare('SELECT text FROM notes ORDER BY id').pluck().all()).toEqual(['kept', 'kept too'])
  })

  it('refuses every job of a group whose transaction cannot start, and stores none of them', async () => {
    const {dir, cleanup} = tempDir()
    const s = openStore(path.join(dir, 'locked.db'), {busyTimeoutMs: 20})
    cleanups.push(() => {
      s.close()
      cleanup()
    })
    s.sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)')
    // A CLI process holding the write lock longer than the busy timeout.
    const other = new Database(s.path)
    other.exec('BEGIN IMMEDIATE')
    const writes = new GroupCommit(s)
    const results = await Promise.allSettled([1, 2].map((n) => writes.run(() => s.sqlite.prepare('INSERT INTO notes (text) VALUES (?)').run(`n${n}`))))
    other.exec('ROLLBACK')
    other.close()
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i)
    expect(countNotes(s.sqlite)).toBe(0)
  })

  it('splits a large burst into transactions of at most maxJobs jobs', async () => {
    const s = store()
    const writes = new GroupCommit(s, {maxJobs: 2, maxMs: 60_000})
    const observer = new Database(s.path, {readonly: true})
    cleanups.unshift(() => observer.close())
    const committedBefore: number[] = []
    await Promise.all(
      [0, 1, 2, 3, 4].map((n) =>
        writes.run(() => {
          committedBefore.push(countNotes(observer))
          s.sqlite.prepare('INSERT INTO notes (text) VALUES (?)').run(`n${n}`)
        }),
      ),
    )
    // Jobs 0-1 commit together, then 2-3, then 4.
    expect(committedBefore).toEqual([0, 0, 2, 2, 4])
  })

  it('commits before taking the next job once a transaction has run for maxMs', async () => {
    const s = store()
    const writes = new GroupCommit(s, {maxJobs: 100, maxMs: 30})
    const observer = new Database(s.path, {readonly: true})
    cleanups.unshift(() => observer.close())
    const committedBefore: number[] = []
    const slowInsert = (n: number) => () => {
      committedBefore.push(countNotes(observer))
      s.sqlite.prepare('INSERT INTO notes (text) VALUES (?)').run(`n${n}`)
      // A large upload: 20 ms of work in the transaction.
      const until = performance.now() + 20
      while (performance.now() < until);
    }
    await Promise.all([0, 1, 2, 3].map((n) => writes.run(slowInsert(n))))
    // Two jobs reach 30 ms: each transaction commits after its second job.
    expect(committedBefore).toEqual([0, 0, 2, 2])
    expect(countNotes(observer)).toBe(4)
  })
})
