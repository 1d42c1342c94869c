import type {AttendStore} from '../store/port.js'
import {Deliverer, type AttemptReport} from './deliverer.js'
import type {Sender} from './sender.js'
import {pruneOld} from './service.js'

export interface WebhookWorkerOptions {
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
 * events in this process (where its engine tells, see WebhookQueue.onQueued) and polls for what other
 * processes queued or retries that came due, the presence check that announces devices going
 * offline, and pruning. It works through the server's port: on SQLite every write joins the
 * requests' group commit, so ingest never waits on it; on PostgreSQL each is a short transaction
 * that several servers' workers share the work of (docs/architecture.md, "Webhooks").
 */
export function startWebhookWorker(store: AttendStore, options: WebhookWorkerOptions): WebhookWorker {
  const stopping = new AbortController()
  const queue = store.webhookQueue
  const deliverer = new Deliverer(queue, {
    send: options.send,
    now: options.now,
    onAttempt: options.onAttempt,
    onError: (error) => options.onError?.(error, 'record a webhook attempt'),
  })
  let wake: (() => void) | undefined
  let woken = false
  const unsubscribe =
    queue.onQueued?.(() => {
      woken = true
      wake?.()
    }) ?? (() => {})

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

  // Settings are read each time: another process's `attend config set` applies from the next round.
  const presence = setInterval(() => {
    store.siteSettings
      .read()
      .then((settings) => store.devicePresence.sweep(options.now(), settings.deviceOfflineAfterMinutes * 60_000))
      .catch((error: unknown) => options.onError?.(error, 'check device presence'))
  }, options.presenceMs ?? 15_000)
  const pruneNow = () => {
    store.siteSettings
      .read()
      .then((settings) => pruneOld(queue, settings.webhookRetentionMinutes * 60_000, options.now()))
      .catch((error: unknown) => options.onError?.(error, 'prune webhook deliveries'))
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
