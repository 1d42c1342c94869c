import type {Device} from '../devices/service.js'
import {ENTRIES_PER_JOB} from '../server/kit/ingest.js'
import type {AttendStore} from '../store/port.js'
import {activeAgentDevices, pullDevice, type DevicePullResult} from './pull.js'
import {newLeaseOwner} from './lease.js'

export interface PullerOptions {
  intervalMs: number
  now: () => number
  timeoutMs?: number
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
export function startPuller(store: AttendStore, options: PullerOptions): Puller {
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
