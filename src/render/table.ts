import {stripVTControlCharacters} from 'node:util'

export interface Column<T> {
  header: string
  get: (row: T) => string | number | null | undefined
  align?: 'left' | 'right' | 'center'
}

/**
 * A borderless, column-aligned table for terminals and for cron mail.
 *
 * Hand-written on purpose: cli-table3 (what we used first; @oclif/table needs Node 22) lays out in
 * time that grows faster than the row count — 0.25 s for 1 000 rows, 0.63 s for 2 000 — and
 * `attend employees list` on a real school's roster paid that on every call. Borderless alignment is
 * a padding loop; widths ignore ANSI colour codes so coloured cells still line up.
 */
/** Four spaces between columns: wide enough to read names with spaces in them as one column. */
const GAP = '    '

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => format(c.get(row))))
  const widths = columns.map((c, i) => {
    let width = visibleLength(c.header)
    for (const line of cells) width = Math.max(width, visibleLength(line[i]))
    return width
  })
  const lines = [columns.map((c) => c.header), ...cells].map((line) =>
    line
      .map((text, i) => pad(text, widths[i], columns[i].align ?? 'left'))
      .join(GAP)
      .trimEnd(),
  )
  return lines.join('\n')
}

function format(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-'
  return String(value).replace(/[\r\n]+/g, ' ')
}

function visibleLength(text: string): number {
  return [...stripVTControlCharacters(text)].length
}

function pad(text: string, width: number, align: 'left' | 'right' | 'center'): string {
  const gap = width - visibleLength(text)
  if (gap <= 0) return text
  if (align === 'right') return ' '.repeat(gap) + text
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2))
  return text + ' '.repeat(gap)
}
