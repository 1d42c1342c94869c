import {AttendCommand} from '../base-command.js'
import type {ReportJson, ReportKind} from './kinds/index.js'
import {parseReportRequest, type ReportFlags} from './options.js'
import {colorLevel} from './render/color.js'
import {reportJson, runReport, type ReportRun} from './run.js'

/** What `attend report KIND` returns: the kind's JSON under --json, else what was written where. */
export type ReportResult<K extends ReportKind> = ReportJson<K> | ReportRun

/** Shared run of the report commands: validate flags, then build and write, or return for --json. */
export abstract class ReportCommand extends AttendCommand {
  protected async report<K extends ReportKind>(kind: K, flags: ReportFlags & {db?: string}): Promise<ReportResult<K>> {
    const request = parseReportRequest(kind, flags, {stdoutIsTTY: Boolean(process.stdout.isTTY) && !this.jsonEnabled()})
    const store = this.attendStore(flags.db)
    if (this.jsonEnabled()) return reportJson(store, request, this.now())
    const run: ReportRun = await runReport(store, request, this.now(), {
      stdout: process.stdout,
      colorLevel: colorLevel(process.stdout, process.env),
    })
    if (run.output) this.logToStderr(`Wrote the ${kind} report (${run.format}) to ${run.output}`)
    return run
  }
}
