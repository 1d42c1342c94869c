import type {ServerResponse} from 'node:http'

import type {ThreadTaskInput, ThreadTaskName, ThreadTaskResult} from '../../reports/worker/tasks.js'
import type {DashboardSnapshot, LiveUpdate} from './thread-tasks.js'

/** Runs one of the report thread's tasks (on the thread, or in place for a store held in memory). */
export type TaskRunner = <N extends ThreadTaskName>(task: N, input: ThreadTaskInput<N>) => Promise<ThreadTaskResult<N>>

export interface HubTimings {
  /** How often the live feed looks for new punches and device changes while a page is open. */
  liveMs: number
  /** A snapshot is at most this old when a page asks for one (reloads in a burst share one). */
  snapshotMaxAgeMs: number
  /** After new punches, today's figures are rebuilt, but not more often than this. */
  snapshotMinIntervalMs: number
  /** Today's figures are rebuilt this often anyway: pending days turn absent as shifts close. */
  snapshotEveryMs: number
  /** The month's chart (a register of the month so far) is rebuilt this often. */
  monthEveryMs: number
  /** A comment line this often keeps proxies from closing an idle stream and tells the page it is alive. */
  pingMs: number
  /** Each open page's session is checked again this often (a revoked key ends the stream). */
  sessionCheckMs: number
}

export const DEFAULT_TIMINGS: HubTimings = {
  liveMs: 1500,
  snapshotMaxAgeMs: 2000,
  snapshotMinIntervalMs: 3000,
  snapshotEveryMs: 30_000,
  monthEveryMs: 5 * 60_000,
  pingMs: 15_000,
  sessionCheckMs: 60_000,
}

/** Open pages at most; more are refused (503) so a forgotten tab farm cannot exhaust the server. */
export const MAX_STREAMS = 200
/** A page that does not read its stream is dropped once this much is waiting for it. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024

export interface Stream {
  response: ServerResponse
  /** Whether the page's session still holds (asked every sessionCheckMs). */
  stillSignedIn(): Promise<boolean>
}

/**
 * The live side of the status page: one poller for every open page. While a page is open it asks
 * the report thread, every second or two, for what arrived since the last punch it saw and for the
 * devices; new punches go to every page at once, and today's figures are rebuilt (at most every
 * few seconds, and every half minute anyway). Nothing is polled while no page is open. All reads
 * run on the report thread, so the event loop only forwards JSON (docs/architecture.md, "Status page").
 */
export class DashboardHub {
  private readonly streams = new Set<Stream>()
  private snapshot: DashboardSnapshot | null = null
  private snapshotAt = 0
  private building: Promise<DashboardSnapshot> | null = null
  private month: {view: NonNullable<DashboardSnapshot['month']>; at: number; date: string} | null = null
  private cursor: number | null = null
  private devicesJson = ''
  private todayStale = false
  private timer: NodeJS.Timeout | null = null
  private polling = false
  private lastPing = 0
  private lastSessionCheck = 0
  private closed = false

  constructor(
    private readonly run: TaskRunner,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
    private readonly timings: HubTimings = DEFAULT_TIMINGS,
  ) {}

  get streamCount(): number {
    return this.streams.size
  }

  /** The current snapshot, rebuilt when older than snapshotMaxAgeMs; callers at the same moment share one build. */
  async state(): Promise<DashboardSnapshot> {
    if (this.snapshot && this.now() - this.snapshotAt <= this.timings.snapshotMaxAgeMs && !this.todayStale) return this.snapshot
    return this.rebuild()
  }

  /** Starts sending to a page's stream: the current snapshot first, then what changes. */
  async open(stream: Stream): Promise<void> {
    if (this.closed) {
      stream.response.end()
      return
    }
    this.streams.add(stream)
    stream.response.on('close', () => this.streams.delete(stream))
    this.send(stream, 'snapshot', await this.state())
    this.schedule()
  }

  /** Ends every stream (the server is stopping) and stops polling. */
  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const stream of this.streams) stream.response.end()
    this.streams.clear()
  }

  private rebuild(): Promise<DashboardSnapshot> {
    this.building ??= (async () => {
      try {
        const date = this.snapshot?.today.date
        const now = this.now()
        const withMonth = !this.month || now - this.month.at >= this.timings.monthEveryMs || this.month.date !== date
        this.todayStale = false
        const built = await this.run('dashboard-snapshot', {withMonth})
        if (built.month) this.month = {view: built.month, at: now, date: built.today.date}
        // The month was kept from an earlier build: a new day since then asks for it again next time.
        if (this.month && this.month.date !== built.today.date) this.month.at = 0
        const snapshot = {...built, month: built.month ?? this.month?.view ?? null}
        this.snapshot = snapshot
        this.snapshotAt = now
        // Punches the snapshot already lists are not sent again by the live feed.
        this.cursor = Math.max(this.cursor ?? 0, snapshot.cursor)
        this.devicesJson = JSON.stringify(snapshot.devices)
        return snapshot
      } finally {
        this.building = null
      }
    })()
    return this.building
  }

  private schedule(): void {
    if (this.closed || this.timer || this.streams.size === 0) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.tick().finally(() => this.schedule())
    }, this.timings.liveMs)
    this.timer.unref()
  }

  private async tick(): Promise<void> {
    if (this.polling || this.streams.size === 0) return
    this.polling = true
    try {
      const now = this.now()
      await this.checkSessions(now)
      if (this.cursor === null) await this.rebuild()
      const live: LiveUpdate = await this.run('dashboard-live', {after: this.cursor ?? 0})
      if (live.punches.length > 0) {
        this.cursor = Math.max(this.cursor ?? 0, live.cursor)
        this.todayStale = true
        this.broadcast('punches', {now: live.now, punches: live.punches})
      }
      const devices = JSON.stringify(live.devices)
      if (devices !== this.devicesJson) {
        this.devicesJson = devices
        this.broadcast('devices', {now: live.now, devices: live.devices})
      }
      const age = now - this.snapshotAt
      if ((this.todayStale && age >= this.timings.snapshotMinIntervalMs) || age >= this.timings.snapshotEveryMs) {
        this.broadcast('snapshot', await this.rebuild())
      } else if (now - this.lastPing >= this.timings.pingMs) {
        this.lastPing = now
        this.broadcast('ping', {now})
      }
    } catch (error) {
      // The thread could not answer (the store is busy or gone): pages keep what they have and the
      // next tick tries again.
      this.onError(error)
    } finally {
      this.polling = false
    }
  }

  private async checkSessions(now: number): Promise<void> {
    if (now - this.lastSessionCheck < this.timings.sessionCheckMs) return
    this.lastSessionCheck = now
    for (const stream of this.streams) {
      if (await stream.stillSignedIn()) continue
      this.send(stream, 'signed-out', {message: 'Your session has ended: sign in again.'})
      stream.response.end()
      this.streams.delete(stream)
    }
  }

  private broadcast(event: string, data: unknown): void {
    const frame = sseFrame(event, data)
    for (const stream of this.streams) this.write(stream, frame)
  }

  private send(stream: Stream, event: string, data: unknown): void {
    this.write(stream, sseFrame(event, data))
  }

  private write(stream: Stream, frame: string): void {
    const response = stream.response
    if (response.writableEnded || response.destroyed) return
    if (response.writableLength > MAX_BUFFERED_BYTES) {
      // A page that stopped reading (a sleeping laptop on a dead link): it reconnects when it wakes.
      response.destroy()
      this.streams.delete(stream)
      return
    }
    response.write(frame)
  }
}

/** One server-sent event: its name and its data as one line of JSON. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}
