import fs from 'node:fs'
import path from 'node:path'
import type {Writable} from 'node:stream'

import {AttendError} from '../errors.js'
import type {AttendStore} from '../store/port.js'
import {buildReport, reportJsonOf, type ResolvedReport} from './build.js'
import type {ReportJson, ReportKind} from './kinds/index.js'
import type {ReportRequest} from './options.js'
import {renderReport} from './render.js'

export interface ReportOutput {
  stdout: Writable
  colorLevel: 0 | 1 | 2 | 3
}

export interface ReportRun {
  kind: ReportRequest['kind']
  format: ReportRequest['format']
  /** The file written, or null for stdout. */
  output: string | null
}

/**
 * Runs `attend report KIND`: builds the report and writes it to --output or stdout. A file is
 * written under a temporary name and renamed at the end, so a failed run never leaves half a report
 * where a cron job expects a whole one.
 */
export async function runReport(store: AttendStore, request: ReportRequest, now: number, io: ReportOutput): Promise<ReportRun> {
  const resolved = await buildReport(store, request, now)
  const result: ReportRun = {kind: request.kind, format: request.format, output: request.output}
  if (request.output === null) {
    await render(resolved, request, io.stdout, io.colorLevel)
    return result
  }

  const temporary = path.join(path.dirname(request.output), `.${path.basename(request.output)}.${process.pid}.tmp`)
  let file: fs.WriteStream | undefined
  try {
    file = fs.createWriteStream(temporary)
    await new Promise<void>((resolve, reject) => {
      file!.once('open', () => resolve())
      file!.once('error', reject)
    })
    await render(resolved, request, file, 0)
    await new Promise<void>((resolve, reject) => file!.end((error?: Error | null) => (error ? reject(error) : resolve())))
    fs.renameSync(temporary, request.output)
  } catch (error) {
    file?.destroy()
    fs.rmSync(temporary, {force: true})
    if (error instanceof AttendError) throw error
    throw new AttendError(`Cannot write --output ${request.output}: ${describeWriteError(error)}.`, {code: 'output_failed', cause: error})
  }
  return result
}

const BOM = '\uFEFF'

async function render(resolved: ResolvedReport, request: ReportRequest, destination: Writable, colorLevel: 0 | 1 | 2 | 3): Promise<void> {
  if (request.bom) await new Promise<void>((resolve, reject) => destination.write(BOM, (error) => (error ? reject(error) : resolve())))
  await renderReport(resolved, request.format, destination, colorLevel)
}

/** The report's JSON for `--json`, built without rendering. */
export async function reportJson<K extends ReportKind>(store: AttendStore, request: ReportRequest<K>, now: number): Promise<ReportJson<K>> {
  return reportJsonOf(await buildReport(store, request, now))
}

/** The file system's reason in words, without the temporary file name the user never asked for. */
function describeWriteError(error: unknown): string {
  switch ((error as {code?: string}).code) {
    case 'ENOENT':
      return 'files cannot be created in that directory'
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'the directory is not writable'
    case 'ENOSPC':
      return 'the disk is full'
    default:
      return error instanceof Error ? error.message.replace(/, open '[^']*'$/, '') : String(error)
  }
}
