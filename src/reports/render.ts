import type {Writable} from 'node:stream'

import type {BuiltReport, ResolvedReport} from './build.js'
import {dailyCsvHeader, dailyCsvRows, dailySheet} from './layouts/daily.js'
import {lateCsvHeader, lateCsvRows, lateSheet} from './layouts/late.js'
import {punchCsvRecord, punchesCsvHeader, punchesSheet} from './layouts/punches.js'
import {registerCsvHeader, registerCsvRows, registerSheets} from './layouts/register.js'
import {summaryCsvHeader, summaryCsvRows, summarySheet} from './layouts/summary.js'
import {paletteFor} from './render/color.js'
import {writeCsv} from './render/csv.js'
import {jsonText, writeJsonArray} from './render/json.js'
import type {PdfSection} from './render/pdf.js'
import {renderTableReport} from './render/table.js'
import type {ReportFormat, ReportHeading} from './types.js'

/** The report laid out as titled sheets, for the table and PDF renderers. */
export function reportSections({built, heading}: ResolvedReport): PdfSection[] {
  switch (built.kind) {
    case 'summary':
      return [{heading, sheet: summarySheet(built.result)}]
    case 'register': {
      const sheets = registerSheets(built.report)
      return sheets.map(({period, sheet}) => ({heading: sheets.length > 1 ? {...heading, period: `${period} (of ${heading.period})`} : heading, sheet}))
    }
    case 'daily':
      return [{heading, sheet: dailySheet(built.report)}]
    case 'late':
      return [{heading, sheet: lateSheet(built.report)}]
    case 'punches':
      return [{heading, sheet: punchesSheet([...built.rows()])}]
  }
}

export function csvOf(built: BuiltReport): {header: string[]; records: Iterable<unknown[]>} {
  switch (built.kind) {
    case 'summary':
      return {header: summaryCsvHeader, records: summaryCsvRows(built.result)}
    case 'register':
      return {header: registerCsvHeader(built.report), records: registerCsvRows(built.report)}
    case 'daily':
      return {header: dailyCsvHeader, records: dailyCsvRows(built.report)}
    case 'late':
      return {header: lateCsvHeader, records: lateCsvRows(built.report)}
    case 'punches': {
      const rows = built.rows
      return {
        header: punchesCsvHeader,
        records: (function* () {
          for (const row of rows()) yield punchCsvRecord(row)
        })(),
      }
    }
  }
}

export async function pdfOf(resolved: ResolvedReport): Promise<Buffer> {
  const {renderPdf} = await import('./render/pdf.js')
  const heading: ReportHeading = resolved.heading
  return renderPdf(reportSections(resolved), {
    title: `${heading.title} — ${heading.subtitle}`,
    subject: `${heading.subtitle}, ${heading.period}, ${heading.filters}`,
    generatedAt: Date.parse(heading.generatedAt),
  })
}

function write(destination: Writable, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    destination.write(data, (error) => (error ? reject(error) : resolve()))
  })
}

/** Writes the report in `format` to `destination` (left open: it may be stdout). */
export async function renderReport(resolved: ResolvedReport, format: ReportFormat, destination: Writable, colorLevel: 0 | 1 | 2 | 3): Promise<void> {
  const {built} = resolved
  switch (format) {
    case 'table':
      await write(destination, renderTableReport(reportSections(resolved), paletteFor(colorLevel)))
      return
    case 'json':
      if (built.kind === 'punches') await writeJsonArray(built.rows(), destination)
      else await write(destination, jsonText(built.kind === 'summary' ? built.result.report : built.report))
      return
    case 'csv': {
      const {header, records} = csvOf(built)
      await writeCsv(header, records, destination)
      return
    }
    case 'pdf':
      await write(destination, await pdfOf(resolved))
      return
  }
}
