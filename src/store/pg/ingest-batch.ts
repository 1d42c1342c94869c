import type {CanonicalPunch, IngestResult} from '../../punches/types.js'
import type {PortIngestOptions} from '../punches.js'

type Options = PortIngestOptions & {now: number}
type Run = (punches: readonly CanonicalPunch[], options: Options) => Promise<IngestResult>

interface Waiting {
  punches: readonly CanonicalPunch[]
  options: Options
  resolve(result: IngestResult & {now: number}): void
  reject(error: unknown): void
}

/** Punches one transaction takes at most: a group commit, not an import slice. */
const MAX_GROUP_PUNCHES = 2000

/**
 * PostgreSQL's group commit for ingests (docs/architecture.md, "Group commit"): the ingests that
 * arrive in one event-loop turn with the same options — fifty devices' single punches at once — are
 * stored in one transaction, so a burst costs one round of lookups, one insert, one recompute of
 * the people in it and one commit instead of one of each per request. Each caller gets the outcomes
 * of its own punches, in its order, once the transaction has committed. A group that fails is
 * retried one ingest at a time, so only the request whose punches cannot be stored fails. Dry runs,
 * counted imports and calls with their own lookups run alone.
 */
export class IngestBatcher {
  private readonly groups = new Map<string, Waiting[]>()

  constructor(private readonly run: Run) {}

  ingest(punches: readonly CanonicalPunch[], options: Options): Promise<IngestResult & {now: number}> {
    if (options.dryRun || options.countOnly || options.cache !== undefined || options.dryRunSeen !== undefined) {
      return this.run(punches, options).then((result) => ({...result, now: options.now}))
    }
    const key = JSON.stringify({...options, now: undefined})
    return new Promise((resolve, reject) => {
      let group = this.groups.get(key)
      if (!group) {
        this.groups.set(key, (group = []))
        const waiting = group
        setImmediate(() => {
          this.groups.delete(key)
          void this.commit(waiting)
        })
      }
      group.push({punches, options, resolve, reject})
    })
  }

  private async commit(waiting: Waiting[]): Promise<void> {
    for (let start = 0; start < waiting.length; ) {
      let end = start
      let count = 0
      while (end < waiting.length && (end === start || count + waiting[end].punches.length <= MAX_GROUP_PUNCHES)) count += waiting[end++].punches.length
      await this.commitGroup(waiting.slice(start, end))
      start = end
    }
  }

  private async commitGroup(group: Waiting[]): Promise<void> {
    // The group's "now": its latest caller's, so no punch of it is judged ahead of its own clock.
    const now = Math.max(...group.map((w) => w.options.now))
    if (group.length === 1) {
      const [only] = group
      await this.run(only.punches, {...only.options, now}).then((result) => only.resolve({...result, now}), only.reject)
      return
    }
    let result: IngestResult
    try {
      result = await this.run(group.flatMap((w) => w.punches), {...group[0].options, now})
    } catch {
      for (const w of group) await this.run(w.punches, {...w.options, now}).then((own) => w.resolve({...own, now}), w.reject)
      return
    }
    let at = 0
    for (const w of group) {
      w.resolve({...resultOf(result.outcomes.slice(at, at + w.punches.length)), now})
      at += w.punches.length
    }
  }
}

/** One caller's share of a group's result: its outcomes and what they count. */
function resultOf(outcomes: IngestResult['outcomes']): IngestResult {
  const result: IngestResult = {outcomes, stored: 0, duplicates: 0, rejected: 0, unmapped: 0}
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') result.rejected++
    else if (outcome.status === 'duplicate') result.duplicates++
    else {
      result.stored++
      if (outcome.employee === null) result.unmapped++
    }
  }
  return result
}
