import {Flags} from '@oclif/core'
import {dateFlag} from '../../cli/flags.js'

/** Flags every `attend report KIND` takes; a kind adds its own (daily's --date) next to them. */
export const reportFlags = {
  from: dateFlag({description: 'First day of the period (YYYY-MM-DD).'}),
  to: dateFlag({description: 'Last day of the period (YYYY-MM-DD), included.'}),
  employee: Flags.string({description: 'Only this employee (code).'}),
  department: Flags.string({description: 'Only this department.'}),
  format: Flags.string({
    char: 'f',
    description: 'table (default), json, csv or pdf. With --output, the file extension picks it when --format is absent.',
  }),
  output: Flags.string({char: 'o', description: 'Write to this file instead of stdout (written whole or not at all).'}),
  bom: Flags.boolean({
    allowNo: true,
    description: 'Start CSV with a UTF-8 byte order mark, so Excel reads names such as "Zoë" right. Default: with --output, not on stdout; --no-bom omits it.',
  }),
  'generated-at': Flags.string({description: 'Generation time printed on the report (ISO 8601); fixes PDF bytes for the same data.'}),
}
