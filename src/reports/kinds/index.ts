import {daily} from './daily.js'
import type {ReportKindDefinition} from './kind.js'
import {late} from './late.js'
import {punches} from './punches.js'
import {register} from './register.js'
import {summary} from './summary.js'

/**
 * Every report kind, by the name `attend report NAME` and the HTTP API use. A new report is a file
 * in this folder, a line here and a ten-line command in src/commands/report/.
 */
export const reportKindRegistry = {summary, register, daily, late, punches}

export type ReportKind = keyof typeof reportKindRegistry
export const reportKinds = Object.keys(reportKindRegistry) as ReportKind[]

type Definition<K extends ReportKind> = (typeof reportKindRegistry)[K]
/** What a kind builds (its model). */
export type ReportModel<K extends ReportKind> = ReturnType<Definition<K>['build']>
/** What `--json` returns for a kind. */
export type ReportJson<K extends ReportKind> = ReturnType<Definition<K>['json']>

/** The definition of `kind`, typed by its own model and JSON. */
export function reportKind<K extends ReportKind>(kind: K): ReportKindDefinition<ReportModel<K>, ReportJson<K>> {
  // TypeScript cannot correlate the key with the value type of a record of different kinds.
  return reportKindRegistry[kind] as unknown as ReportKindDefinition<ReportModel<K>, ReportJson<K>>
}
