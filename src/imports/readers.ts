import {parse as parseCsv} from 'csv-parse'
import {Readable} from 'node:stream'

import {AttendError} from '../errors.js'
import {detectAttlogLayout, parseAttlogLine} from '../formats/attlog.js'
import {parseCamsPunchLog, readCamsBody} from '../formats/cams.js'
import {csvRowToPunch, detectDelimiter, resolveCsvColumns, type ColumnOverrides} from '../formats/csv.js'
import type {ImportFormat} from '../formats/detect.js'
import {flattenEventDocument, parseAttendanceEvent} from '../formats/json-events.js'
import type {ParsedRecord} from '../punches/types.js'
import {inferDateFormat, type DateFormat} from '../time/parse.js'
import type {ImportInput} from './input.js'

export interface ReaderOptions {
  batchSize: number
  dateFormat?: DateFormat
  columns?: ColumnOverrides
  jsonLines: boolean
}

/** Parsed records of one input, in batches of about `batchSize`, in file order. */
export function readRecords(input: ImportInput, format: ImportFormat, options: ReaderOptions): AsyncGenerator<ParsedRecord[]> {
  switch (format) {
    case 'attlog':
      return attlogRecords(input, options)
    case 'csv':
      return csvRecords(input, options)
    case 'json':
    case 'cams':
      return options.jsonLines ? jsonLineRecords(input, format, options) : jsonDocumentRecords(input, format, options)
  }
}

async function* attlogRecords(input: ImportInput, options: ReaderOptions): AsyncGenerator<ParsedRecord[]> {
  const layout = detectAttlogLayout(await input.peek(4096))
  let lineNo = 0
  let batch: ParsedRecord[] = []
  for await (const lines of input.lines()) {
    for (const line of lines) {
      lineNo++
      const record = parseAttlogLine(line, lineNo, layout)
      if (record === null) continue
      batch.push(record)
      if (batch.length >= options.batchSize) {
        yield batch
        batch = []
      }
    }
  }
  if (batch.length > 0) yield batch
}

async function* csvRecords(input: ImportInput, options: ReaderOptions): AsyncGenerator<ParsedRecord[]> {
  const sample = await input.peek(8192)
  const delimiter = detectDelimiter(sample.split('\n', 1)[0])
  const parser = parseCsv({delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, raw: true, trim: false})
  Readable.from(input.chunks()).pipe(parser)

  let columns: ReturnType<typeof resolveCsvColumns> | undefined
  let dateFormat = options.dateFormat
  // Without --date-format, the first rows are held back until one of them shows the day/month order.
  let pending: Array<{record: string[]; line: number; raw: string}> | null = dateFormat ? null : []
  let batch: ParsedRecord[] = []
  const convert = (record: string[], line: number, raw: string): void => {
    const parsed = csvRowToPunch(record, columns as NonNullable<typeof columns>, line, {dateFormat, raw: raw.replace(/\r?\n$/, '')})
    if (parsed !== null) batch.push(parsed)
  }
  const release = (): void => {
    if (!pending) return
    const cols = columns as NonNullable<typeof columns>
    dateFormat = inferDateFormat(pending.map((p) => p.record[cols.date ?? cols.time] ?? ''))
    for (const p of pending) convert(p.record, p.line, p.raw)
    pending = null
  }
  for await (const item of parser as AsyncIterable<{record: string[]; info: {lines: number}; raw: string}>) {
    if (!columns) {
      columns = resolveCsvColumns(item.record, options.columns, input.name)
      continue
    }
    if (pending) {
      pending.push({record: item.record, line: item.info.lines, raw: item.raw})
      const cell = item.record[columns.date ?? columns.time] ?? ''
      if (pending.length >= DATE_SAMPLE_ROWS || inferDateFormat([cell]) !== undefined) release()
    } else {
      convert(item.record, item.info.lines, item.raw)
    }
    if (batch.length >= options.batchSize) {
      yield batch
      batch = []
    }
  }
  if (columns) release()
  if (batch.length > 0) yield batch
}

const DATE_SAMPLE_ROWS = 2000

/** One JSON value → its records; `line` is the file line for JSON Lines, else the event's position. */
function jsonValueRecords(value: unknown, format: 'json' | 'cams', firstIndex: number, line: number | null): ParsedRecord[] {
  const fixLine = (record: ParsedRecord): ParsedRecord => {
    if (line === null) return record
    if (record.ok) return {ok: true, punch: {...record.punch, line}}
    return {ok: false, rejected: {...record.rejected, line}}
  }
  const failed = (reason: string): ParsedRecord[] => [{ok: false, rejected: {line: line ?? firstIndex + 1, reason, raw: JSON.stringify(value)?.slice(0, 500)}}]

  if (format === 'json') {
    let entries
    try {
      entries = flattenEventDocument(value)
    } catch (error) {
      return failed((error as Error).message)
    }
    return entries.map((entry, i) => fixLine(parseAttendanceEvent(entry.event, firstIndex + i, entry.deviceSerial)))
  }

  const bodies = Array.isArray(value) ? value : [value]
  const records: ParsedRecord[] = []
  for (const body of bodies) {
    let cams
    try {
      cams = readCamsBody(body)
    } catch (error) {
      records.push(...failed((error as Error).message))
      continue
    }
    if (cams.kind === 'realtime') records.push(fixLine(parseCamsPunchLog(cams.log, firstIndex + records.length, cams.serial)))
    else for (const log of cams.logs) records.push(fixLine(parseCamsPunchLog(log, firstIndex + records.length, null)))
  }
  return records
}

async function* jsonDocumentRecords(input: ImportInput, format: 'json' | 'cams', options: ReaderOptions): AsyncGenerator<ParsedRecord[]> {
  const text = await input.text()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new AttendError(`${input.name} is not valid JSON: ${(error as Error).message}.`, {code: 'invalid_json'})
  }
  const records = jsonValueRecords(value, format, 0, null)
  for (let i = 0; i < records.length; i += options.batchSize) yield records.slice(i, i + options.batchSize)
}

async function* jsonLineRecords(input: ImportInput, format: 'json' | 'cams', options: ReaderOptions): AsyncGenerator<ParsedRecord[]> {
  let lineNo = 0
  let index = 0
  let batch: ParsedRecord[] = []
  for await (const lines of input.lines()) {
    for (const raw of lines) {
      lineNo++
      const line = raw.trim()
      if (line === '') continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch (error) {
        batch.push({ok: false, rejected: {line: lineNo, reason: `Not valid JSON: ${(error as Error).message}.`, raw: line.slice(0, 500)}})
        continue
      }
      const records = jsonValueRecords(value, format, index, lineNo)
      index += records.length
      batch.push(...records)
      if (batch.length >= options.batchSize) {
        yield batch
        batch = []
      }
    }
  }
  if (batch.length > 0) yield batch
}
