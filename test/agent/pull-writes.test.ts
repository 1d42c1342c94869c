import {describe, expect, it} from 'vitest'

import {startPuller} from '../../src/agent/poller.js'
import {pullDevice} from '../../src/agent/pull.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import type {PunchSubscriber} from '../../src/punches/events.js'
import type {StoredPunch} from '../../src/punches/types.js'
import type {WriteUnit, Writes} from '../../src/store/sqlite/writes.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {punches} from './fixtures.js'
import {NOW, until, useAgentStore, useEmulators} from './helpers.js'

const emulator = useEmulators()
const site = useAgentStore()

/**
 * The server's group commit, watched: which writes went through it, and which punches its
 * subscribers were told about. A pull that wrote on its own would leave both empty.
 */
function watchedWrites(): {writes: Writes; jobs: string[]; published: StoredPunch[]; outside: string[]} {
  const published: StoredPunch[] = []
  const spy: PunchSubscriber = {name: 'spy', kinds: ['stored'], handle: (_context, changes) => void published.push(...changes.stored)}
  const group = new GroupCommit(site.store, {now: () => NOW, subscribers: [spy]})
  const jobs: string[] = []
  const outside: string[] = []
  let inJob = false
  // Any transaction opened outside a group-commit job (other than the group's own) bypassed it.
  const transaction = site.store.transaction.bind(site.store)
  site.store.transaction = <T>(fn: () => T): T => {
    const caller = new Error().stack?.split('\n')[2]?.trim() ?? '?'
    if (!inJob && !caller.includes('group-commit')) outside.push(caller)
    return transaction(fn)
  }
  const writes: Writes = {
    run: <T>(work: (unit: WriteUnit) => T) =>
      group.run((unit) => {
        inJob = true
        try {
          jobs.push(work.toString().slice(0, 60))
          return work(unit)
        } finally {
          inJob = false
        }
      }),
    defer: (work, what) => group.defer((unit) => {
      inJob = true
      try {
        jobs.push(what)
        work(unit)
      } finally {
        inJob = false
      }
    }, what),
  }
  return {writes, jobs, published, outside}
}

describe('agent pulls write through the server\'s group commit', () => {
  it('every write of a pull — lease, device users, punches, outcome, device seen — is a group-commit job', async () => {
    const e = await emulator({records: punches(1200)})
    const device = site.register(e)
    const watched = watchedWrites()
    const result = await pullDevice(sqliteAttendStore(site.store, watched.writes), device, {now: () => NOW, timeoutMs: 500, batchSize: 500})
    expect(result).toMatchObject({ok: true, recordsNew: 1200})
    expect(watched.outside).toEqual([])
    // The punches reached the group's subscribers (the recompute and the outbox on the server).
    expect(watched.published).toHaveLength(1200)
    // Lease, seen, users, three punch jobs of 500, the outcome, the release.
    expect(watched.jobs.length).toBeGreaterThanOrEqual(8)
    // The sighting goes through the store port's devices section, whose SQLite writes are group-commit jobs.
    expect(watched.jobs.some((job) => job.includes('markDeviceSeen'))).toBe(true)
  })

  it('attend serve --pull-every hands its group commit to every pull', async () => {
    const e = await emulator({records: punches(40)})
    site.register(e)
    const watched = watchedWrites()
    const puller = startPuller(sqliteAttendStore(site.store, watched.writes), {intervalMs: 60_000, now: () => NOW, timeoutMs: 500, onResult: () => {}})
    try {
      await until(() => watched.published.length === 40, 10_000)
    } finally {
      await puller.stop()
    }
    expect(watched.outside).toEqual([])
  })
})
