import type {Store} from '../db/open.js'
import type {Device} from '../devices/service.js'
import type {Writes} from '../punches/writes.js'
import {ENTRIES_PER_JOB} from '../server/kit/ingest.js'
import type {AttendStore} from '../store/port.js'
import {sqliteAttendStore} from '../store/sqlite/port.js'
import {activeAgentDevices, pullDevice, type DevicePullResult} from './pull.js'
import {newLeaseOwner} from './pull-store.js'

export interface PullerOptions {
  intervalMs: number
  now: () => number
  timeoutMs?: number
  /**
   * With a SQLite `Store` (how `attend serve` still hands it over): the server's group commit, which
   * every write of the pulls then joins. A port brings its own writes (the server's `attendStore`).
   */
  writes?: Writes
  /** Where each pull's outcome goes (the server's request log). */
  onResult: (result: DevicePullResult) => void
  onError?: (error: unknown) => void
}

export interface Puller {
  /** Stops the timer and waits for pulls in progress (they stop between chunks and re-enable their device). */
  stop(): Promise<void>
}

/**
 * `attend serve --pull-every`: pulls every active agent-mode device on a timer, so a small site runs
 * one process for push and agent devices. A device whose pull is still running when its turn comes
 * again is skipped: one pull per device at a time (and the store lease keeps a CLI `attend pull`
 * or another server off it too). The device list is read each round.
 */
export function startPuller(given: AttendStore | Store, options: PullerOptions): Puller {
  const store = portOf(given, options.writes)
  const owner = newLeaseOwner()
  const running = new Map<number, Promise<void>>()
  const stop = new AbortController()
  let timer: NodeJS.Timeout | undefined

  const round = async (): Promise<void> => {
    if (stop.signal.aborted) return
    let devices: Device[]
    try {
      devices = await activeAgentDevices(store)
    } catch (error) {
      options.onError?.(error)
      devices = []
    }
    if (stop.signal.aborted) return
    for (const device of devices) {
      if (running.has(device.id)) continue
      const pull = pullDevice(store, device, {
        now: options.now, timeoutMs: options.timeoutMs, batchSize: ENTRIES_PER_JOB, owner, signal: stop.signal,
      })
        .then(options.onResult, (error: unknown) => options.onError?.(error))
        .finally(() => running.delete(device.id))
      running.set(device.id, pull)
    }
    timer = setTimeout(() => void round(), options.intervalMs)
  }
  void round()

  return {
    async stop() {
      stop.abort()
      clearTimeout(timer)
      await Promise.all(running.values())
    },
  }
}

/**
 * The store port the pulls write through. `attend serve` hands over its SQLite store and group
 * commit (src/commands/serve.ts is moving to the port); both become the port on that group commit.
 */
function portOf(store: AttendStore | Store, writes: Writes | undefined): AttendStore {
  if ('punches' in store) return store
  if (!writes) throw new Error('startPuller: a SQLite store needs the server\'s group commit (options.writes).')
  return sqliteAttendStore(store, writes)
}
