import type {Store} from '../db/open.js'
import {offlineAfterMs} from '../store/sqlite/devices/presence-store.js'
import type {Writes} from '../punches/writes.js'
import {sqliteDevicePresence} from '../store/sqlite/device-presence.js'
import {sqliteWebhookQueue} from '../store/sqlite/webhook-queue.js'
import {Deliverer, type AttemptReport} from './deliverer.js'
import {onQueued} from '../store/sqlite/webhooks/outbox.js'
import type {Sender} from './sender.js'
import {pruneOld, retentionMs} from './service.js'

export interface WebhookWorkerOptions {
  /** The server's group commit: every write of the worker joins the requests' transactions. */
  writes: Writes
  send: Sender
  now: () => number
  /** How often the outbox is looked at when nothing woke the worker (events queued by other processes, retries coming due). */
  pollMs?: number
  /** How often devices are checked for going offline. */
  presenceMs?: number
  /** How often delivered rows past their retention are pruned. */
  pruneMs?: number
  onAttempt?: (attempt: AttemptReport) => void
  onError?: (error: unknown, what: string) => void
}

export interface WebhookWorker {
  /** Stops claiming; waits for the attempts in flight (at most their timeout) and records them. */
  stop(): Promise<void>
}

/**
 * `attend serve`'s background work for webhooks: a deliverer that wakes when a group commit queued
 * events (and polls for what other processes queued or retries that came due), the presence check
 * that announces devices going offline, and pruning. Nothing here writes outside the server's group
 * commit, so ingest never waits on it (docs/architecture.md, "Webhooks").
 */
export function startWebhookWorker(store: Store, options: WebhookWorkerOptions): WebhookWorker {
  const stopping = new AbortController()
  const queue = sqliteWebhookQueue(store, options.writes)
  const deliverer = new Deliverer(queue, {
    send: options.send,
    now: options.now,
    onAttempt: options.onAttempt,
    onError: (error) => options.onError?.(error, 'record a webhook attempt'),
  })
  let wake: (() => void) | undefined
  let woken = false
  const unsubscribe = onQueued(store, () => {
    woken = true
    wake?.()
  })

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping.signal.aborted) return resolve()
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = undefined
        stopping.signal.removeEventListener('abort', done)
        resolve()
      }
      wake = () => setImmediate(done)
      stopping.signal.addEventListener('abort', done, {once: true})
    })

  const deliverLoop = (async () => {
    while (!stopping.signal.aborted) {
      woken = false
      try {
        if (await queue.hasDue(options.now())) await deliverer.pass(stopping.signal)
      } catch (error) {
        options.onError?.(error, 'deliver webhooks')
      }
      await sleep(options.pollMs ?? 1000)
    }
  })()

  const devices = sqliteDevicePresence(store, options.writes)
  const presence = setInterval(() => {
    devices.sweep(options.now(), offlineAfterMs(store)).catch((error: unknown) => options.onError?.(error, 'check device presence'))
  }, options.presenceMs ?? 15_000)
  const pruneNow = () => {
    pruneOld(queue, retentionMs(store), options.now()).catch((error: unknown) => options.onError?.(error, 'prune webhook deliveries'))
  }
  const prune = setInterval(pruneNow, options.pruneMs ?? 3_600_000)
  setImmediate(pruneNow)
  presence.unref()
  prune.unref()

  return {
    async stop() {
      stopping.abort()
      clearInterval(presence)
      clearInterval(prune)
      unsubscribe()
      await deliverLoop
    },
  }
}
