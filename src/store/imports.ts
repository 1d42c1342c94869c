import type {CanonicalPunch, IngestResult} from '../punches/types.js'
import type {Page, Paging} from '../listing/page.js'
import type {PortIngestOptions} from './punches.js'

/** One `attend import` run as `attend imports list` shows it. */
export interface ImportRun {
  id: number
  file: string
  format: string
  device: string | null
  dryRun: boolean
  status: string
  read: number
  stored: number
  duplicates: number
  unmapped: number
  rejected: number
  message: string | null
  startedAt: number
  finishedAt: number | null
}

/** What an `imports` row says when a file's pass ends. */
export interface ImportOutcome {
  id: number
  format?: string
  status: 'done' | 'partial' | 'failed' | 'interrupted'
  read?: number
  stored?: number
  duplicates?: number
  unmapped?: number
  rejected?: number
  message: string | null
}

/** The counts an `imports` row holds while its run writes (a killed run leaves real ones). */
export interface ImportCounts {
  id: number
  read: number
  stored: number
  duplicates: number
  unmapped: number
  rejected: number
}

/**
 * An import run's writes. On SQLite: slices of at most ~100 ms of work, each one transaction, with
 * the bulk-load pragmas until `close` (docs/architecture.md, "Import"); on PostgreSQL each batch is
 * a unit of work of its own. `progress` gives the row's counts as of each commit, in that commit.
 */
export interface ImportWriter {
  write(punches: readonly CanonicalPunch[], options: PortIngestOptions & {now: number}, progress?: (sofar: IngestResult) => ImportCounts | null): Promise<IngestResult>
  close(): Promise<void>
}

/** Import runs: a section of the store port (docs/architecture.md, "The store port"). */
export interface ImportsSection {
  /** The id of the device with this serial, or null when none is registered. */
  deviceId(serial: string): Promise<number | null>
  /** One `running` row per file, each committed before any punch. */
  begin(files: readonly {file: string; format: string; deviceId: number | null}[], now: number): Promise<number[]>
  finish(outcomes: readonly ImportOutcome[], now: number): Promise<void>
  writer(): Promise<ImportWriter>
  /** Past runs, newest first. */
  list(paging: Paging): Promise<Page & {rows: ImportRun[]}>
}
