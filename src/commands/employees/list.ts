import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listEmployees, type Employee} from '../../employees/query.js'
import {renderTable} from '../../render/table.js'
import {pageFlags} from '../../cli/flags.js'

export interface EmployeeListResult {
  total: number
  offset: number
  limit: number | null
  employees: Employee[]
}

export default class EmployeesList extends AttendCommand {
  static override summary = 'List employees, filtered by department, status or a search string.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --department Teaching --active',
    '<%= config.bin %> <%= command.id %> --search asha',
    '<%= config.bin %> <%= command.id %> --limit 50 --offset 100 --json',
  ]

  static override flags = {
    department: Flags.string({description: 'Only this department (case-insensitive).'}),
    active: Flags.boolean({description: 'Only active employees.', exclusive: ['inactive']}),
    inactive: Flags.boolean({description: 'Only employees who have left (deactivated).', exclusive: ['active']}),
    search: Flags.string({char: 's', description: 'Part of the name, code or email (case-insensitive).'}),
    ...pageFlags(),
  }

  async run(): Promise<EmployeeListResult> {
    const {flags} = await this.parse(EmployeesList)
    const active = flags.active ? true : flags.inactive ? false : undefined
    const {rows, total} = await listEmployees(this.attendStore(flags.db), {
      department: flags.department,
      active,
      search: flags.search,
      limit: flags.limit,
      offset: flags.offset,
    })
    const result = {total, offset: flags.offset, limit: flags.limit ?? null, employees: rows}
    // Rendering a thousand-row table costs far more than the query: skip it when only JSON is printed.
    if (this.jsonEnabled()) return result
    if (total === 0) this.log('No employees match.')
    else if (rows.length > 0) {
      this.log(
        renderTable(rows, [
          {header: 'Code', get: (e) => e.code},
          {header: 'Name', get: (e) => e.name},
          {header: 'Department', get: (e) => e.department},
          {header: 'Email', get: (e) => e.email},
          {header: 'Phone', get: (e) => e.phone},
          {header: 'Joined', get: (e) => e.joinedOn},
          {header: 'Status', get: (e) => (e.active ? 'active' : `left ${e.leftOn ?? ''}`.trim())},
        ]),
      )
    }
    this.logPage({...result, rows})
    return result
  }
}
