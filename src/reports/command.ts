import {Flags} from '@oclif/core'

import {AttendCommand} from '../base-command.js'
import {parseReportRequest, type ReportFlags} from './options.js'
import {colorLevel} from './render/color.js'
import {reportJson, runReport, type ReportRun} from './run.js'
import type {ReportKind} from './types.js'

/** Flags every `attend report KIND` takes. */
export const reportFlags = {
  from: Flags.string({description: 'First day of the period (YYYY-MM-DD).'}),
  to: Flags.string({description: 'Last day of the period (YYYY-MM-DD), included.'}),
  employee: Flags.string({description: 'Only this employee (code).'}),
  department: Flags.string({description: 'Only this department.'}),
  format: Flags.string({
    char: 'f',
    description: 'table (default), json, csv or pdf. With --output, the file extension picks it when --format is absent.',
  }),
  output: Flags.string({char: 'o', description: 'Write to this file instead of stdout (written whole or not at all).'}),
  'generated-at': Flags.string({description: 'Generation time printed on the report (ISO 8601); fixes PDF bytes for the same data.'}),
}

/** Shared run of the report commands: validate flags, then build and write, or return for --json. */
export abstract class ReportCommand extends AttendCommand {
  protected async report(kind: ReportKind, flags: ReportFlags & {db?: string}): Promise<unknown> {
    const request = parseReportRequest(kind, flags, {stdoutIsTTY: Boolean(process.stdout.isTTY) && !this.jsonEnabled()})
    const openStore = () => this.store(flags.db)
    if (this.jsonEnabled()) return reportJson(openStore, request, this.now())
    const run: ReportRun = await runReport(openStore, request, this.now(), {
      stdout: process.stdout,
      colorLevel: colorLevel(process.stdout, process.env),
    })
    if (run.output) this.logToStderr(`Wrote the ${kind} report (${run.format}) to ${run.output}`)
    return run
  }
}
