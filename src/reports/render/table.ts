import Table from 'cli-table3'
import type {ChalkInstance} from 'chalk'

import type {ReportHeading, ReportSection, SheetColumn, SheetRow} from '../types.js'
import {paint} from './color.js'
import {clip} from './fit.js'

/**
 * Longest text a terminal cell shows (a wrapping column, such as the daily report's punches, more):
 * one 10 000-character department would otherwise widen every line of the table to match it.
 */
const CELL_CHARS = 80
const WRAP_CELL_CHARS = 400
const GROUP_CHARS = 120
const NOTE_CHARS = 1000

function headingLines(heading: ReportHeading, palette: ChalkInstance): string[] {
  return [
    palette.bold(`${clip(heading.title, GROUP_CHARS)} — ${heading.subtitle}`),
    `Period: ${heading.period}   Filters: ${clip(heading.filters, GROUP_CHARS)}   Generated: ${heading.generated}`,
  ]
}

function cells(row: SheetRow, columns: readonly SheetColumn[], palette: ChalkInstance, bold = false): string[] {
  return row.cells.map((text, i) => {
    const painted = paint(palette, clip(text, columns[i]?.wrap ? WRAP_CELL_CHARS : CELL_CHARS), row.tones?.[i])
    return bold ? palette.bold(painted) : painted
  })
}

/**
 * A report for a terminal: the heading, then one table whose department rows span every column so
 * the totals stay aligned with the figures above them.
 */
export function renderTableReport(sections: readonly ReportSection[], palette: ChalkInstance): string {
  const out: string[] = []
  for (const [index, {heading, sheet}] of sections.entries()) {
    if (index > 0) out.push('')
    out.push(...headingLines(heading, palette))
    for (const note of sheet.notes) out.push(palette.gray(clip(note, NOTE_CHARS)))
    out.push('')
    const rowCount = sheet.groups.reduce((n, g) => n + g.rows.length, 0)
    if (rowCount === 0) {
      out.push(sheet.empty)
      continue
    }
    const table = new Table({
      head: sheet.columns.map((c) => palette.bold(c.label)),
      colAligns: sheet.columns.map((c) => c.align ?? 'left'),
      style: {head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 1},
      chars: {
        top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
        'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' ',
      },
    })
    const width = sheet.columns.length
    for (const group of sheet.groups) {
      if (group.name !== null && sheet.groups.length > 0) table.push([{content: palette.bold.underline(clip(group.name, GROUP_CHARS)), colSpan: width}])
      for (const row of group.rows) table.push(cells(row, sheet.columns, palette))
      if (group.subtotal) table.push(cells(group.subtotal, sheet.columns, palette, true))
    }
    if (sheet.totals) table.push(cells(sheet.totals, sheet.columns, palette, true))
    out.push(...table.toString().split('\n').map((line) => line.trimEnd()))
  }
  return out.join('\n') + '\n'
}
