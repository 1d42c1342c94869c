/**
 * The one canonical punch. Every format parser (attlog, csv, cams, json, the HTTP families, the
 * ZKTeco push protocol, manual entry) produces this shape, and only the pipeline stores it.
 */
export type PunchTime =
  /** Exact: the source sent an offset (`Z`, `+03:00`, CAMS `GMT +0300`) or epoch time. */
  | {
      kind: 'instant'
      ms: number
      /** The offset the source stated (minutes east of UTC), e.g. 180 for `GMT +0300`; absent for `Z`/epoch. */
      offsetMinutes?: number
    }
  /**
   * Device wall-clock time with no offset, normalized to `YYYY-MM-DDTHH:mm:ss`. The pipeline
   * resolves it in the zone override, else the device's zone, else the site zone.
   */
  | {
      kind: 'wall'
      local: string
      /**
       * The wall-clock fields read as if they were UTC (Date.UTC of them), when the parser has
       * them at hand (parseTimestamp always does): the pipeline then does not read `local` again.
       */
      asUtc?: number
    }

export type PunchDirection = 'in' | 'out'

export interface CanonicalPunch {
  /** The person as the device knows them: PIN, UserId, employeeId … trimmed, never empty. */
  deviceUserId: string
  time: PunchTime
  /** The timestamp text exactly as the source sent it. */
  timeText: string
  /** Serial of the device that captured it, when the source names one. */
  deviceSerial?: string | null
  /** Explicit in/out when the source says so (check_in, CheckOut, …); null/undefined = unknown. */
  direction?: PunchDirection | null
  rawStatus?: string | null
  rawVerify?: string | null
  workCode?: string | null
  scanId?: string | null
  temperature?: number | null
  mask?: boolean | null
  confidence?: number | null
  manual?: boolean
  note?: string | null
  /**
   * The employee, when the source names one directly (a manual punch): skips device-user
   * resolution, and mapping changes never move the punch.
   */
  employeeId?: number | null
  /** The record as received (a line, a JSON object), kept for audits. */
  raw?: string | null
  /** 1-based line (or record) number in the source, for rejection reports. */
  line?: number
}

/** A record a parser could not turn into a punch: kept for the report, never stored. */
export interface RejectedRecord {
  line: number
  reason: string
  raw?: string
}

export type ParsedRecord = {ok: true; punch: CanonicalPunch} | {ok: false; rejected: RejectedRecord}

export interface IngestOptions {
  /** Where the punches came from: `import:attlog`, `http:push-log`, `zkteco`, `manual`, … */
  source: string
  /** "Now" as the caller sees it (UTC ms): received_at and the engine's pending/absent cut-off. */
  now: number
  /** Serial applied to punches that name no device (`attend import --device SN`). */
  defaultDeviceSerial?: string | null
  /** Device key for punches with no device at all (default: the source). */
  fallbackDeviceKey?: string
  /** IANA zone forced on wall-clock times (`attend import --timezone`). */
  timezone?: string | null
  importId?: number | null
  /** Parse, resolve and count, but write nothing. */
  dryRun?: boolean
  /**
   * Dedup keys seen by earlier dry-run calls of the same run (an import in batches), so a dry run
   * counts a line repeated across batches as a duplicate just as a real run would.
   */
  dryRunSeen?: Set<string>
  /**
   * Look up the id of the stored twin of each duplicate (default true). Bulk imports that only
   * count duplicates turn it off: a re-import of a million lines then costs one statement per line.
   */
  duplicateIds?: boolean
  /**
   * The caller's transaction collects what this call stores and publishes it once for all its
   * calls (the server's group commit): the pipeline then neither publishes nor opens a savepoint of
   * its own — the caller's transaction (or savepoint) is the unit.
   */
  changes?: PunchChangeCollector
  /**
   * Lookups to share between calls (newIngestCache): a caller that splits its work into many calls
   * (an import writing in time-bounded slices) resolves each device and device user once, as a
   * single call would; the resolutions are dropped when the `people` revision moves. Without it
   * each call starts with empty lookups.
   */
  cache?: IngestCache
  /**
   * False: the punches queue no webhook event (`attend import --no-webhooks`), neither
   * attendance.created nor the attendance_day.updated of the days they change. Default true;
   * ignored with `changes`, which carries its own setting.
   */
  webhooks?: boolean
  /**
   * Count only (an import): `outcomes` stays empty and `rejections` names the rejected punches by
   * index, so a million stored lines build no object each.
   */
  countOnly?: boolean
}

/** Devices, people and state maps an ingest has looked up, by what it looked them up with. */
export interface IngestCache {
  devices: Map<string, DeviceRow | undefined>
  /** Device id (0: no registered device) → device user id → whom it resolved to. */
  employees: Map<number, Map<string, ResolvedEmployee | null>>
  employeesById: Map<number, ResolvedEmployee | null>
  stateMaps: Map<number, Record<string, PunchDirection>>
  /** The `people` revision the resolutions above were made at. */
  peopleRevision?: number
}

export interface ResolvedEmployee {
  id: number
  code: string
  name: string
}

export type IngestOutcome =
  | {status: 'stored'; punchId: number; instant: number; employee: ResolvedEmployee | null; deviceKey: string}
  | {status: 'duplicate'; punchId: number | null; instant: number; employee: ResolvedEmployee | null; deviceKey: string}
  | {status: 'rejected'; reason: string}

export interface IngestResult {
  /** One per punch, in input order; empty with `countOnly`. */
  outcomes: IngestOutcome[]
  /** With `countOnly`: the rejected punches, by index in the input, in order. */
  rejections?: {index: number; reason: string}[]
  stored: number
  duplicates: number
  rejected: number
  /** Stored punches that resolved to no employee. */
  unmapped: number
}

/** A punch as the pipeline wrote it, handed to the punch subscribers in the same transaction. */
export interface StoredPunch {
  id: number
  deviceKey: string
  deviceId: number | null
  deviceUserId: string
  employeeId: number | null
  /** The employee's code when the writer knew it (the pipeline does), for events; else null. */
  employeeCode?: string | null
  instant: number
  /** Minutes east of UTC that applied to the punch, when known (device-local time in events). */
  offsetMinutes?: number | null
  direction: PunchDirection | null
  source: string
}

/** A device as the pipeline resolves punches against it. */
export interface DeviceRow {
  id: number
  serial: string
  direction: 'auto' | 'in' | 'out'
  timezone: string | null
  stateMap: string | null
}

/** An employee a device user id resolved to. */
export interface EmployeeRow {
  id: number
  code: string
  name: string
}

/** Where a caller's transaction collects the punches each ingest call stored (IngestOptions.changes). */
export interface PunchChangeCollector {
  stored(punches: readonly StoredPunch[]): void
}
