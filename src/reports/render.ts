import type {Writable} from 'node:stream'

import type {ResolvedReport} from './build.js'
import {reportKind, type ReportKind} from './kinds/index.js'
import type {CsvTable} from './kinds/kind.js'
import {paletteFor} from './render/color.js'
import {writeCsv} from './render/csv.js'
import {jsonText, writeJsonArray} from './render/json.js'
import {renderTableReport} from './render/table.js'
import type {ReportFormat, ReportSection} from './types.js'

/** The report laid out as titled sheets, for the table and PDF renderers. */
export function reportSections<K extends ReportKind>({kind, model, heading}: ResolvedReport<K>): ReportSection[] {
  return reportKind(kind).sections(model, heading)
}

export function csvOf<K extends ReportKind>({kind, model}: ResolvedReport<K>): CsvTable {
  return reportKind(kind).csv(model)
}

export async function pdfOf(resolved: ResolvedReport): Promise<Buffer> {
  const {renderPdf} = await import('./render/pdf.js')
  const heading = resolved.heading
  return renderPdf(reportSections(resolved), {
    title: `${heading.title} — ${heading.subtitle}`,
    subject: `${heading.subtitle}, ${heading.period}, ${heading.filters}`,
    generatedAt: heading.generatedAt,
  })
}

function write(destination: Writable, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    destination.write(data, (error) => (error ? reject(error) : resolve()))
  })
}

/** Writes the report in `format` to `destination` (left open: it may be stdout). */
export async function renderReport(resolved: ResolvedReport, format: ReportFormat, destination: Writable, colorLevel: 0 | 1 | 2 | 3): Promise<void> {
  switch (format) {
    case 'table':
      await write(destination, renderTableReport(reportSections(resolved), paletteFor(colorLevel)))
      return
    case 'json': {
      const definition = reportKind(resolved.kind)
      if (definition.jsonRows) await writeJsonArray(definition.jsonRows(resolved.model), destination)
      else await write(destination, jsonText(definition.json(resolved.model)))
      return
    }
    case 'csv': {
      const {header, records} = csvOf(resolved)
      await writeCsv(header, records, destination)
      return
    }
    case 'pdf':
      await write(destination, await pdfOf(resolved))
      return
  }
}
