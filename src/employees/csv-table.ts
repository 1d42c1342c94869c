import fs from 'node:fs'
import {parse} from 'csv-parse/sync'

import {UsageError} from '../errors.js'

/** A data row of a directory CSV file, by normalized column name, with its 1-based line number. */
export interface CsvRow {
  line: number
  cells: Record<string, string>
  raw: string
}

export interface CsvRejectedRow {
  line: number
  reason: string
  raw?: string
}

/** What an upsert-by-key CSV import (employees, mappings) reports. */
export interface CsvUpsertResult {
  file: string
  /** Data rows read (blank lines not counted). */
  read: number
  created: number
  updated: number
  unchanged: number
  rejected: CsvRejectedRow[]
  /** Header columns that are not fields of the import and were ignored. */
  ignoredColumns: string[]
}

export interface CsvTable {
  delimiter: string
  /** Normalized header names in file order. */
  columns: string[]
  /** Header columns this kind of file does not know (ignored, reported to the admin). */
  ignoredColumns: string[]
  rows: CsvRow[]
  /** Rows that are not well-formed CSV or do not have the header's number of fields. */
  malformed: CsvRejectedRow[]
}

export interface CsvShape {
  /** How the file is named in messages, e.g. `employees.csv`. */
  name: string
  required: readonly string[]
  optional: readonly string[]
  /** Other spellings admins use for a column (`user_id` for `device_user_id`). */
  aliases?: Readonly<Record<string, string>>
}

/** `Joined On`, ` joined-on `, `JOINED_ON` → `joined_on`. */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
}

/** The delimiter used in the header line: the most frequent of `,` `;` and tab (Excel in many locales writes `;`). */
export function detectDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => ({d, n: headerLine.split(d).length - 1}))
  counts.sort((a, b) => b.n - a.n)
  return counts[0].n > 0 ? counts[0].d : ','
}

/**
 * The record starting at line `start`: CSV lets a quoted value span lines, so lines are joined while
 * the quote count is odd. `unclosed` when the file ends inside quotes.
 */
function recordAt(lines: string[], start: number): {text: string; next: number; unclosed: boolean} {
  let text = lines[start]
  let open = quoteCount(text) % 2 === 1
  let i = start + 1
  while (open && i < lines.length) {
    text += '\n' + lines[i]
    if (quoteCount(lines[i]) % 2 === 1) open = false
    i++
  }
  return {text, next: i, unclosed: open}
}

function quoteCount(text: string): number {
  let n = 0
  for (const ch of text) if (ch === '"') n++
  return n
}

function describeCsvError(error: unknown): string {
  const code = (error as {code?: string}).code
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quoted field is followed by other characters before the next delimiter (check the quotes)'
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote is opened but never closed'
  return error instanceof Error ? error.message : String(error)
}

/**
 * Reads a directory CSV (employees, mappings): header row required, header case, spaces and a BOM
 * tolerated, `,` `;` or tab as delimiter. Throws UsageError (nothing to import) when the header is
 * missing or lacks a required column; row-level problems come back in `malformed`.
 */
export function readCsvTable(text: string, shape: CsvShape): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const headerIndex = lines.findIndex((l) => l.trim() !== '')
  const expected = [...shape.required, ...shape.optional].join(',')
  if (headerIndex === -1) {
    throw new UsageError(`${shape.name} is empty: expected a header row such as ${expected}.`, 'missing_header')
  }
  const delimiter = detectDelimiter(lines[headerIndex])
  let header: string[]
  try {
    header = (parse(lines[headerIndex], {delimiter}) as string[][])[0] ?? []
  } catch (error) {
    throw new UsageError(`The header row of ${shape.name} (line ${headerIndex + 1}) is not valid CSV: ${describeCsvError(error)}.`, 'missing_header')
  }
  const known = new Set([...shape.required, ...shape.optional])
  const columns = header.map((h) => {
    const n = normalizeHeader(h)
    return shape.aliases?.[n] ?? n
  })
  const missing = shape.required.filter((c) => !columns.includes(c))
  if (missing.length > 0) {
    const found = lines[headerIndex].trim()
    const noun = missing.length === 1 ? 'column' : 'columns'
    throw new UsageError(
      `${shape.name} has no ${missing.join(', ')} ${noun} in its header row (line ${headerIndex + 1} reads "${truncate(found)}"): expected a header such as ${expected}.`,
      'missing_header',
    )
  }
  const duplicate = columns.find((c, i) => known.has(c) && columns.indexOf(c) !== i)
  if (duplicate) {
    throw new UsageError(`${shape.name} names the column ${duplicate} twice in its header row.`, 'missing_header')
  }

  const rows: CsvRow[] = []
  const malformed: CsvRejectedRow[] = []
  let index = headerIndex + 1
  while (index < lines.length) {
    const line = index + 1
    if (lines[index].trim() === '') {
      index++
      continue
    }
    const record = recordAt(lines, index)
    let fields: string[] | undefined
    let problem: string | undefined
    if (record.unclosed) problem = describeCsvError({code: 'CSV_QUOTE_NOT_CLOSED'})
    else {
      try {
        fields = (parse(record.text, {delimiter, relax_column_count: true}) as string[][])[0] ?? []
      } catch (error) {
        problem = describeCsvError(error)
      }
    }
    if (problem !== undefined) {
      // A stray quote can swallow the lines after it: reject only the line it is on and read on,
      // so one broken row never costs the good rows that follow (csv-parse's own
      // skip_records_with_error loses track of quoting after the first error).
      malformed.push({line, reason: problem, raw: lines[index]})
      index++
      continue
    }
    index = record.next
    if (!fields || fields.length !== header.length) {
      const n = fields?.length ?? 0
      const hint = n > header.length ? ` (an unquoted "${delimiter}" inside a value?)` : ''
      malformed.push({line, reason: `has ${n} fields but the header has ${header.length}${hint}`, raw: record.text})
      continue
    }
    const cells: Record<string, string> = {}
    columns.forEach((c, i) => {
      if (known.has(c)) cells[c] = fields[i].trim()
    })
    rows.push({line, cells, raw: record.text})
  }
  return {delimiter, columns, ignoredColumns: columns.filter((c) => !known.has(c)), rows, malformed}
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Reads an import file, turning the usual mistakes into one sentence naming the path. */
export function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code === 'ENOENT') throw new UsageError(`Cannot read ${file}: no such file.`, 'file_not_found')
    if (code === 'EISDIR') throw new UsageError(`Cannot read ${file}: it is a directory, not a CSV file.`, 'file_not_found')
    if (code === 'EACCES') throw new UsageError(`Cannot read ${file}: permission denied.`, 'file_not_found')
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}.`, 'file_not_found')
  }
}
