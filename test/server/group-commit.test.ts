import Database from 'better-sqlite3'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {openStore} from '../../src/db/open.js'
import {storeRevision} from '../../src/db/revisions.js'
import type {PunchSubscriber} from '../../src/punches/events.js'
import {ingestPunches} from '../../src/store/sqlite/ingest/pipeline.js'
import type {CanonicalPunch, StoredPunch} from '../../src/punches/types.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {parseTimestamp} from '../../src/time/parse.js'
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
    // The transaction's clock advances only by the jobs' own work, so a busy machine changes nothing.
    let elapsed = 0
    const writes = new GroupCommit(s, {maxJobs: 100, maxMs: 30, elapsedClock: () => elapsed})
    const observer = new Database(s.path, {readonly: true})
    cleanups.unshift(() => observer.close())
    const committedBefore: number[] = []
    const slowInsert = (n: number) => () => {
      committedBefore.push(countNotes(observer))
      s.sqlite.prepare('INSERT INTO notes (text) VALUES (?)').run(`n${n}`)
      // A large upload: 20 ms of work in the transaction.
      elapsed += 20
    }
    await Promise.all([0, 1, 2, 3].map((n) => writes.run(slowInsert(n))))
    // Two jobs reach 30 ms: each transaction commits after its second job.
    expect(committedBefore).toEqual([0, 0, 2, 2])
    expect(countNotes(observer)).toBe(4)
  })

  describe('per group, not per request', () => {
    const NOW = Date.parse('2026-03-12T12:00:00Z')
    const punch = (deviceUserId: string, text: string): CanonicalPunch => ({deviceUserId, time: parseTimestamp(text), timeText: text, deviceSerial: 'ZK1'})
    const spy = () => {
      const calls: {punches: StoredPunch[]; inTransaction: boolean; source: string}[] = []
      const hook: PunchSubscriber = {
        name: 'spy',
        kinds: ['stored'],
        handle(context, changes) {
          calls.push({punches: [...changes.stored], inTransaction: context.store.sqlite.inTransaction, source: context.source})
        },
      }
      return {calls, hook}
    }

    it('publishes the punch changes once for the whole group, inside its transaction, over the punches of the jobs that committed', async () => {
      const s = store()
      const {calls, hook} = spy()
      const writes = new GroupCommit(s, {now: () => NOW, subscribers: [hook]})
      const results = await Promise.allSettled([
        writes.run((unit) => ingestPunches(s, [punch('1', '2026-03-12 08:00')], {source: 'http:a', now: unit.now, changes: unit.changes})),
        writes.run((unit) => {
          ingestPunches(s, [punch('2', '2026-03-12 08:00')], {source: 'http:a', now: unit.now, changes: unit.changes})
          throw new Error('bad request')
        }),
        writes.run((unit) => ingestPunches(s, [punch('3', '2026-03-12 08:00'), punch('1', '2026-03-12 08:00')], {source: 'http:a', now: unit.now, changes: unit.changes})),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(calls).toHaveLength(1)
      expect(calls[0]).toMatchObject({inTransaction: true, source: 'http:a'})
      // The failed job's punch was rolled back with its savepoint: the subscribers never see it.
      expect(calls[0].punches.map((p) => p.deviceUserId)).toEqual(['1', '3'])
      expect(s.sqlite.prepare('SELECT device_user_id FROM punches ORDER BY id').pluck().all()).toEqual(['1', '3'])
    })

    it('when a subscriber fails on the group, retries each job alone: only the job whose punches it refuses fails', async () => {
      const s = store()
      const hook: PunchSubscriber = {
        name: 'picky',
        kinds: ['stored'],
        handle(_context, changes) {
          if (changes.stored.some((p) => p.deviceUserId === 'bad')) throw new Error('engine refused')
        },
      }
      const writes = new GroupCommit(s, {now: () => NOW, subscribers: [hook]})
      const job = (id: string) => writes.run((unit) => ingestPunches(s, [punch(id, '2026-03-12 08:00')], {source: 't', now: unit.now, changes: unit.changes}))
      const results = await Promise.allSettled([job('1'), job('bad'), job('2')])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/engine refused/)
      expect(s.sqlite.prepare('SELECT device_user_id FROM punches ORDER BY id').pluck().all()).toEqual(['1', '2'])
    })

    it('forgets whom a device user resolved to when the job that learned it rolls back', async () => {
      const s = store()
      const writes = new GroupCommit(s, {now: () => NOW, subscribers: []})
      const results = await Promise.allSettled([
        writes.run((unit) => {
          s.sqlite.prepare(`INSERT INTO employees (code, name, active, created_at, updated_at) VALUES ('EMP777', 'Short-lived', 1, 1, 1)`).run()
          const stored = ingestPunches(s, [punch('EMP777', '2026-03-12 08:00')], {source: 't', now: unit.now, changes: unit.changes})
          expect(stored.outcomes[0]).toMatchObject({employee: {code: 'EMP777'}})
          throw new Error('the request failed after all')
        }),
        writes.run((unit) => ingestPunches(s, [punch('EMP777', '2026-03-12 09:00')], {source: 't', now: unit.now, changes: unit.changes})),
      ])
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled'])
      // The employee never existed: the second punch is stored unmapped, not refused by a foreign key.
      expect((results[1] as PromiseFulfilledResult<{outcomes: unknown[]}>).value.outcomes[0]).toMatchObject({status: 'stored', employee: null})
    })

    it('reads each cache revision once per group', async () => {
      const s = store()
      const writes = new GroupCommit(s, {now: () => NOW, subscribers: []})
      const before = storeRevision(s, 'site')
      const seen: number[] = []
      await Promise.all([
        writes.run(() => {
          seen.push(storeRevision(s, 'site'))
          // The revision moves inside the group: the group keeps the value it read first.
          s.sqlite.prepare(`UPDATE store_revisions SET revision = random() WHERE scope = 'site'`).run()
        }),
        writes.run(() => seen.push(storeRevision(s, 'site'))),
      ])
      expect(seen).toEqual([before, before])
      // The next read, outside the group, sees the change.
      expect(storeRevision(s, 'site')).not.toBe(before)
    })

    it('defers writes nobody waits for into the next group and reports their failures', async () => {
      const s = store()
      const failures: string[] = []
      const writes = new GroupCommit(s, {now: () => NOW, subscribers: [], onDeferredError: (_error, what) => failures.push(what)})
      writes.defer(() => void s.sqlite.prepare(`INSERT INTO notes (text) VALUES ('seen')`).run(), 'mark seen')
      writes.defer(() => {
        throw new Error('no')
      }, 'broken write')
      await writes.run(() => {})
      expect(countNotes(s.sqlite)).toBe(1)
      expect(failures).toEqual(['broken write'])
    })
  })
})
