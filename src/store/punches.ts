import type {CanonicalPunch, IngestOptions, IngestResult, PunchDirection} from '../punches/types.js'

/** Options of one ingest through the port: what IngestOptions says, but the transaction is the port's. */
export type PortIngestOptions = Omit<IngestOptions, 'changes' | 'now'> & {
  /** "Now" of the ingest; by default the time of the unit of work it joins (the server's group). */
  now?: number
}

/** A stored punch as listed: who, when, from where. */
export interface PunchRow {
  id: number
  instant: number
  employeeCode: string | null
  employeeName: string | null
  employeeId: number | null
  deviceUserId: string
  direction: PunchDirection | null
  deviceKey: string
  deviceId: number | null
  source: string
  manual: boolean
  note: string | null
  rawStatus: string | null
}

/** `attend punches list`'s filter, resolved to instants (site-local dates turned into [from, to)). */
export interface PunchQuery {
  from?: number
  to?: number
  /** An employee code (any case); unknown → the unknown-employee error. */
  employee?: string
  deviceKey?: string
  unmapped?: boolean
  offset: number
  limit: number | null
}

export interface ManualPunchRequest {
  /** An employee code (any case); unknown → the unknown-employee error. */
  employeeCode: string
  time: CanonicalPunch['time']
  timeText: string
  direction: PunchDirection | null
  note: string | null
}

/**
 * Punches: a section of the store port (docs/architecture.md, "The store port"). Every source goes
 * through `ingest`, the one pipeline; each call is one unit of work, committed with the attendance
 * recompute and the webhook outbox rows it implies before its promise resolves.
 */
export interface PunchesSection {
  /**
   * Checks, resolves and stores a batch, deduplicated by (device key, device user id, instant):
   * outcomes in input order, each punch reported `stored` once however many callers send it.
   * Returns the "now" the punches were stored at.
   */
  ingest(punches: readonly CanonicalPunch[], options: PortIngestOptions): Promise<IngestResult & {now: number}>
  /** The punches `ingest` would reject and why, storing nothing (`attend import --strict`). */
  rejected(punches: readonly CanonicalPunch[], options: PortIngestOptions & {now: number}): Promise<{index: number; reason: string}[]>
  /** A punch typed by an admin, through the pipeline against the named employee: the row, or the stored twin's id. */
  addManual(request: ManualPunchRequest, now: number): Promise<{row: PunchRow; duplicateOf?: undefined} | {row?: undefined; duplicateOf: {id: number | null; instant: number; employeeCode: string}}>
  /** Deletes a manual punch (a device punch is refused) and recomputes its day; the row as it was. */
  removeManual(id: number, now: number): Promise<PunchRow>
  /** When a stored punch was received (v1 answers a repeated POST with the original record's time); undefined when there is none. */
  receivedAt(id: number): Promise<number | undefined>
  /** One page of punches, newest last within the page; the site zone with them. */
  list(query: PunchQuery): Promise<{total: number; timezone: string; rows: PunchRow[]}>
}
