import Table from 'cli-table3'

export interface Column<T> {
  header: string
  get: (row: T) => string | number | null | undefined
  align?: 'left' | 'right' | 'center'
}

/**
 * A plain table for terminals. cli-table3 rather than @oclif/table, which needs Node 22.
 * Borders are light so output stays readable when piped into mail by a cron job.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: {head: [], border: [], compact: true},
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
  })
  for (const row of rows) table.push(columns.map((c) => format(c.get(row))))
  return table
    .toString()
    .split('\n')
    .map((line) => line.replace(/^ /, '').trimEnd())
    .join('\n')
}

function format(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-'
  return String(value)
}
