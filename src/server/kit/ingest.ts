import type {CanonicalPunch, IngestOptions, IngestResult, ParsedRecord, ResolvedEmployee} from '../../punches/types.js'
import type {AttendStore} from '../../store/port.js'

/** One entry of a request (an event, a log, an ATTLOG line) after parsing and storing, by position. */
export type EntryResult =
  | {index: number; status: 'stored' | 'duplicate'; punchId: number | null; instant: number; employee: ResolvedEmployee | null; punch: CanonicalPunch}
  | {index: number; status: 'rejected'; reason: string}

/** What a family answers from: every entry's result in input order, and the counts. */
export interface IngestSummary {
  results: EntryResult[]
  stored: number
  duplicates: number
  rejected: number
  /** Stored punches no employee claims yet. */
  unmapped: number
}

export type KitIngestOptions = Omit<IngestOptions, 'changes' | 'now' | 'dryRun' | 'dryRunSeen'>

interface Partition {
  summary: IngestSummary
  punches: CanonicalPunch[]
  positions: number[]
}

/** Entries the parser refused are answered as they are; the others go to the pipeline. */
function partition(records: readonly ParsedRecord[], firstIndex: number): Partition {
  const results: EntryResult[] = new Array(records.length)
  const punches: CanonicalPunch[] = []
  const positions: number[] = []
  records.forEach((record, i) => {
    if (record.ok) {
      punches.push(record.punch)
      positions.push(i)
    } else {
      results[i] = {index: firstIndex + i, status: 'rejected', reason: record.rejected.reason}
    }
  })
  return {summary: {results, stored: 0, duplicates: 0, rejected: records.length - punches.length, unmapped: 0}, punches, positions}
}

/** The pipeline's outcomes merged back into the entries, in input order. */
function merged({summary, punches, positions}: Partition, outcome: IngestResult, firstIndex: number): IngestSummary {
  const {results} = summary
  outcome.outcomes.forEach((result, i) => {
    const index = positions[i]
    results[index] =
      result.status === 'rejected'
        ? {index: firstIndex + index, status: 'rejected', reason: result.reason}
        : {index: firstIndex + index, status: result.status, punchId: result.punchId, instant: result.instant, employee: result.employee, punch: punches[i]}
  })
  summary.stored = outcome.stored
  summary.duplicates = outcome.duplicates
  summary.rejected += outcome.rejected
  summary.unmapped = outcome.unmapped
  return summary
}

/**
 * One job of parsed entries through the store port's pipeline (on SQLite, in the server's group
 * commit): entries the parser refused and entries the pipeline refused are merged back into one list
 * in input order. Every family answers from this, so "which of my entries were stored" reads the
 * same everywhere.
 */
async function ingestJob(store: AttendStore, records: readonly ParsedRecord[], options: KitIngestOptions, firstIndex = 0): Promise<IngestSummary> {
  const parts = partition(records, firstIndex)
  if (parts.punches.length === 0) return parts.summary
  return merged(parts, await store.punches.ingest(parts.punches, options), firstIndex)
}

/**
 * Entries per group-commit job: storing 500 punches and recomputing the days of up to 500 people
 * takes some tens of milliseconds, so a backlog upload never holds the event loop (and the other
 * clients) for longer than that at a time.
 */
export const ENTRIES_PER_JOB = 500

/** Entries parsed as they are stored, a slice at a time (an ATTLOG body of 300 000 lines). */
export interface LazyRecords {
  length: number
  slice(from: number, to: number): ParsedRecord[]
}

/**
 * Entries of a request of any size: a backlog of 40 000 ATTLOG lines is parsed and stored in
 * jobs of ENTRIES_PER_JOB, one after another, so other requests are served between them. The
 * request is answered only when every job has committed; if one fails, the error is the answer and
 * the device sends again — the jobs already committed make that resend a run of harmless duplicates.
 */
export async function ingestInJobs(store: AttendStore, records: readonly ParsedRecord[] | LazyRecords, options: KitIngestOptions): Promise<IngestSummary> {
  if (records.length <= ENTRIES_PER_JOB) {
    const all = records.slice(0, records.length)
    return ingestJob(store, all, options)
  }
  const total: IngestSummary = {results: [], stored: 0, duplicates: 0, rejected: 0, unmapped: 0}
  for (let from = 0; from < records.length; from += ENTRIES_PER_JOB) {
    const part = records.slice(from, from + ENTRIES_PER_JOB)
    const summary = await ingestJob(store, part, options, from)
    total.results.push(...summary.results)
    total.stored += summary.stored
    total.duplicates += summary.duplicates
    total.rejected += summary.rejected
    total.unmapped += summary.unmapped
  }
  return total
}

/** Rejections an answer lists at most: the rest are counted, so a batch of bad rows gets a small answer. */
export const LISTED_REJECTIONS = 100

/** The first LISTED_REJECTIONS rejected entries in input order, as families list them, and how many there were. */
export function rejections(summary: IngestSummary): {listed: {index: number; reason: string}[]; total: number} {
  const listed: {index: number; reason: string}[] = []
  let total = 0
  for (const result of summary.results) {
    if (result.status !== 'rejected') continue
    total++
    if (listed.length < LISTED_REJECTIONS) listed.push({index: result.index, reason: result.reason})
  }
  return {listed, total}
}
