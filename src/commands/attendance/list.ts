import {Flags} from '@oclif/core'

import {describeStatus, formatMinutes, listAttendance, type AttendanceRow} from '../../attendance/list.js'
import {AttendCommand} from '../../base-command.js'
import {attendanceStatuses} from '../../attendance/statuses.js'
import {renderTable, type Column} from '../../render/table.js'
import {dateFlag, pageFlags} from '../../cli/flags.js'
import {listed, type Page} from '../../listing/page.js'

export default class AttendanceList extends AttendCommand {
  static override summary = 'Show daily attendance records: status, check-in, check-out, worked time, late/early minutes.'
  static override description = `Times are local to the site time zone; a check-out on the next day (night shifts) shows its date.
Work on a holiday, weekly off or leave day is in Off-day, never in OT. Days an admin set with
attend attendance set are flagged manual, with their note.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-03-02 --to 2026-03-06',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --department Kitchen --status absent',
    '<%= config.bin %> <%= command.id %> --from 2026-03-02 --to 2026-03-02 --employee EMP007 --json',
    '<%= config.bin %> <%= command.id %> --from 2026-03-01 --to 2026-03-31 --manual',
  ]

  static override flags = {
    from: dateFlag({required: true, description: 'First date YYYY-MM-DD.'}),
    to: dateFlag({required: true, description: 'Last date YYYY-MM-DD.'}),
    employee: Flags.string({description: 'Only this employee (code).', exclusive: ['department']}),
    department: Flags.string({description: 'Only this department.', exclusive: ['employee']}),
    status: Flags.string({description: `Only this status: ${attendanceStatuses.join(', ')}.`}),
    manual: Flags.boolean({description: 'Only days set by hand (attend attendance set).'}),
    ...pageFlags(),
  }

  async run(): Promise<Page & {from: string; to: string; timezone: string; days: AttendanceRow[]}> {
    const {flags} = await this.parse(AttendanceList)
    const listing = await listAttendance(this.attendStore(flags.db), flags, this.now())
    const result = {...listed('days', listing), from: listing.from, to: listing.to, timezone: listing.timezone}
    if (this.jsonEnabled()) return result
    if (listing.rows.length === 0) {
      this.log(listing.total === 0 ? `No attendance records from ${listing.from} to ${listing.to}.` : `Nothing after offset ${listing.offset} (${listing.total} match).`)
      return result
    }
    const columns: Column<AttendanceRow>[] = [
      {header: 'Date', get: (r) => r.date},
      {header: 'Employee', get: (r) => `${r.employeeCode} ${r.employeeName}`},
      {header: 'Shift', get: (r) => r.shift},
      {header: 'Status', get: (r) => describeStatus(r)},
      {header: 'In', get: (r) => r.checkIn},
      {header: 'Out', get: (r) => r.checkOut},
      {header: 'Worked', get: (r) => formatMinutes(r.workedMinutes), align: 'right'},
      {header: 'Late', get: (r) => r.lateMinutes || '', align: 'right'},
      {header: 'Early', get: (r) => r.earlyMinutes || '', align: 'right'},
      {header: 'OT', get: (r) => (r.overtimeMinutes ? formatMinutes(r.overtimeMinutes) : ''), align: 'right'},
      {header: 'Off-day', get: (r) => (r.offDayMinutes ? formatMinutes(r.offDayMinutes) : ''), align: 'right'},
      {header: 'Flags', get: (r) => r.flags.join(',')},
    ]
    // An admin's notes only take room when there are some.
    if (listing.rows.some((r) => r.note)) columns.push({header: 'Note', get: (r) => r.note})
    this.log(renderTable(listing.rows, columns))
    this.logPage(listing)
    return result
  }
}
