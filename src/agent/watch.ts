import type {Device} from '../devices/service.js'
import type {AttendStore} from '../store/port.js'
import {devicesToPull, pullDevices, type PullOptions, type PullSummary} from './pull.js'
import {newLeaseOwner} from './lease.js'

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
  })
}

/**
 * `attend pull --watch`: a pull of every chosen device, then a pause, until `signal` aborts. The
 * device list is read again each round, so devices added or changed meanwhile are picked up; a
 * round with none left is empty rather than an error (the first one must find some).
 */
export async function watchPulls(
  store: AttendStore,
  serial: string | undefined,
  options: PullOptions & {intervalMs: number; signal: AbortSignal},
  onRound: (summary: PullSummary, round: number) => void,
): Promise<{rounds: number; last: PullSummary | null}> {
  const owner = options.owner ?? newLeaseOwner()
  let last: PullSummary | null = null
  let rounds = 0
  while (!options.signal.aborted) {
    let list: Device[]
    try {
      list = await devicesToPull(store, serial)
    } catch (error) {
      if (rounds === 0) throw error
      list = []
    }
    last = await pullDevices(store, list, {...options, owner})
    rounds++
    onRound(last, rounds)
    await pause(options.intervalMs, options.signal)
  }
  return {rounds, last}
}
