import type {ReportKind} from '../reports/kinds/index.js'
import type {ReportQuery, ReportRows} from '../reports/read.js'

/**
 * The reports section of the store port (docs/architecture.md, "The store port"): the rows a
 * report model is built from — the settings, the scope, the employees on the roll in the period
 * (leavers included), the holidays, the settled attendance days, the shifts and the punches the
 * kind declares — read in one snapshot, so a report never mixes rows from before and after a
 * concurrent write. Which reads are made is decided by src/reports/read.ts, shared by both adapters.
 */
export interface ReportsSection {
  read<K extends ReportKind>(query: ReportQuery<K>, now: number): Promise<ReportRows<K>>
}
