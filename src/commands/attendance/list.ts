import {Flags} from '@oclif/core'

import {formatMinutes, listAttendance, type AttendanceListing} from '../../attendance/list.js'
import {AttendCommand} from '../../base-command.js'
import {attendanceStatuses} from '../../db/schema.js'
import {renderTable} from '../../render/table.js'

export default class AttendanceList extends AttendCommand {
  static override summary = 'Show daily attendance records: status, check-in, check-out, worked time, late/early minutes.'
  static override description = 'Times are local to the site time zone; a check-out on the next day (night shifts) shows its date.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-03-02 --to 2026-03-06',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --department Kitchen --status absent',
    '<%= config.bin %> <%= command.id %> --from 2026-03-02 --to 2026-03-02 --employee EMP007 --json',
  ]

  static override flags = {
    from: Flags.string({required: true, description: 'First date YYYY-MM-DD.'}),
    to: Flags.string({required: true, description: 'Last date YYYY-MM-DD.'}),
    employee: Flags.string({description: 'Only this employee (code).', exclusive: ['department']}),
    department: Flags.string({description: 'Only this department.', exclusive: ['employee']}),
    status: Flags.string({description: `Only this status: ${attendanceStatuses.join(', ')}.`}),
  }

  async run(): Promise<AttendanceListing> {
    const {flags} = await this.parse(AttendanceList)
    const listing = listAttendance(() => this.store(flags.db), flags, this.now())
    if (listing.rows.length === 0) {
      this.log(`No attendance records from ${listing.from} to ${listing.to}.`)
      return listing
    }
    this.log(
      renderTable(listing.rows, [
        {header: 'Date', get: (r) => r.date},
        {header: 'Employee', get: (r) => `${r.employeeCode} ${r.employeeName}`},
        {header: 'Shift', get: (r) => r.shift},
        {header: 'Status', get: (r) => r.status},
        {header: 'In', get: (r) => r.checkIn},
        {header: 'Out', get: (r) => r.checkOut},
        {header: 'Worked', get: (r) => formatMinutes(r.workedMinutes), align: 'right'},
        {header: 'Late', get: (r) => r.lateMinutes || '', align: 'right'},
        {header: 'Early', get: (r) => r.earlyMinutes || '', align: 'right'},
        {header: 'OT', get: (r) => (r.overtimeMinutes ? formatMinutes(r.overtimeMinutes) : ''), align: 'right'},
        {header: 'Flags', get: (r) => r.flags.join(',')},
      ]),
    )
    return listing
  }
}
