import {createRequire} from 'node:module'
import {Worker} from 'node:worker_threads'

import type {Store} from '../../db/open.js'

/** How often the background connection folds the WAL back into the store file. */
export const CHECKPOINT_INTERVAL_MS = 250

/**
 * The server connection's own checkpoint threshold, in WAL pages: a safety net that keeps the WAL
 * bounded should the background checkpointer ever stop. SQLite's default is 1 000.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000

/** WAL pages (4 KiB each) past which the checkpointer makes the WAL start over. */
export const RESTART_AFTER_PAGES = 4_000

/*
 * The checkpointer's thread. A string run with `eval` rather than a module file, so the same code
 * runs from the build and from the TypeScript sources under test; it is CommonJS, and it loads
 * better-sqlite3 from the path the main thread resolved, so it finds the same copy wherever attend
 * is installed.
 */
const WORKER_SOURCE = `
const {parentPort, workerData} = require('node:worker_threads')
const Database = require(workerData.driver)
let db
try {
  db = new Database(workerData.file, {fileMustExist: true})
} catch (error) {
  // SQLite's own error class loses its message on the way to the main thread; a plain Error keeps it.
  throw new Error('the checkpointer could not open ' + workerData.file + ': ' + (error && error.message))
}
parentPort.postMessage({ready: true})
// A RESTART waits this long at most for the server's current write transaction to end: longer
// waits let the WAL grow meanwhile, and the next tick tries again anyway.
db.pragma('busy_timeout = 5')
const checkpoint = () => {
  try {
    const [passive] = db.pragma('wal_checkpoint(PASSIVE)')
    // Under steady writes a PASSIVE checkpoint never catches up with the last frame, and the WAL
    // only starts over once one has: past the limit, finish the small remainder while holding off
    // writers for that moment (RESTART), so the WAL file stops growing.
    if (passive.log >= workerData.restartPages) db.pragma('wal_checkpoint(RESTART)')
  } catch (error) {
    // SQLITE_BUSY: another checkpoint is running (a CLI process closing); the next tick retries.
    if (error && error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') parentPort.postMessage({error: String(error && error.message)})
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

/**
 * Moves WAL checkpoints off the request path. A checkpoint copies the WAL into the store file and
 * syncs it to disk; with SQLite's automatic checkpoints that happens inside some unlucky request's
 * commit every thousand pages or so, and the sync is most of the cost of storing a punch. A second
 * connection on its own thread does it instead, on a timer, while the server goes on committing:
 * in WAL mode a PASSIVE checkpoint never blocks the writer nor readers, and durability is
 * unchanged (a commit is in the WAL before it is acknowledged, as before).
 */
export class BackgroundCheckpointer {
  private worker: Worker | undefined
  private stopping: Promise<void> | undefined
  /** The thread has ended on its own (it could not open the store, or failed): nothing to stop. */
  private ended = false

  constructor(
    private readonly store: Store,
    private readonly onError: (message: string) => void,
    private readonly timing: {intervalMs: number; restartPages: number} = {intervalMs: CHECKPOINT_INTERVAL_MS, restartPages: RESTART_AFTER_PAGES},
  ) {}

  /** Starts the thread; resolves once it checkpoints (or has failed to start, which it reports). */
  start(): Promise<void> {
    if (this.worker || this.store.path === ':memory:') return Promise.resolve()
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(WORKER_SOURCE, {eval: true, workerData: {file: this.store.path, driver, ...this.timing}})
    this.worker = worker
    // Not a reason to keep the process alive: the server's own handles decide that.
    worker.unref()
    this.store.sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`)
    worker.once('exit', () => {
      if (this.worker === worker) this.ended = true
    })
    return new Promise<void>((resolve) => {
      worker.on('message', (message: {ready?: boolean; error?: string}) => {
        if (message.ready) resolve()
        if (message.error) this.onError(message.error)
      })
      worker.on('error', (error) => {
        this.onError(error.message)
        resolve()
      })
      worker.on('exit', () => resolve())
    })
  }

  /** Runs a last checkpoint and ends the thread; the server connection checkpoints for itself again. */
  stop(): Promise<void> {
    const worker = this.worker
    if (!worker) return Promise.resolve()
    // Its 'exit' has been and gone: waiting for it would hold the server's close forever.
    if (this.ended && !this.stopping) {
      this.handBack()
      return Promise.resolve()
    }
    this.stopping ??= new Promise<void>((resolve) => {
      worker.once('exit', () => resolve())
      // Held by nothing else at shutdown: without this the process could end before the last
      // checkpoint, with the stop still pending.
      worker.ref()
      worker.postMessage('stop')
    }).then(() => this.handBack())
    return this.stopping
  }

  /** The server connection checkpoints for itself again, at SQLite's default threshold. */
  private handBack(): void {
    this.worker = undefined
    if (this.store.sqlite.open) this.store.sqlite.pragma('wal_autocheckpoint = 1000')
  }
}
