import {Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {listMappings, listUnmapped, type MappingView, type UnmappedUser} from '../../mappings/service.js'
import {renderTable} from '../../render/table.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class MapList extends AttendCommand {
  static override summary = 'List mappings, or (--unmapped) device users seen in punches that map to nobody.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --unmapped',
    '<%= config.bin %> <%= command.id %> --employee EMP001 --json',
  ]

  static override flags = {
    unmapped: Flags.boolean({description: 'Device user ids in punches with no employee: punch count, last punch, device name.', exclusive: ['employee', 'device']}),
    employee: Flags.string({description: 'Only mappings to this employee code.'}),
    device: Flags.string({description: 'Only mappings limited to this device serial.'}),
    ...pageFlags(),
  }

  async run(): Promise<Page & ({mappings: MappingView[]} | {unmapped: UnmappedUser[]})> {
    const {flags} = await this.parse(MapList)
    const store = this.attendStore(flags.db)
    if (flags.unmapped) {
      const page = pageOf(await listUnmapped(store), flags)
      const result = listed('unmapped', page)
      const unmapped = page.rows
      if (this.jsonEnabled()) return result
      if (page.total === 0) this.log('No unmapped device users: every stored punch belongs to an employee.')
      else if (page.rows.length > 0) {
        this.log(
          renderTable(unmapped, [
            {header: 'Device user', get: (u) => u.deviceUserId},
            {header: 'Name on device', get: (u) => u.name},
            {header: 'Device', get: (u) => u.deviceKey},
            {header: 'Punches', get: (u) => u.punches, align: 'right'},
            {header: 'Last punch', get: (u) => u.lastPunchLocal},
          ]),
        )
        this.logPage(page)
        this.log('Map them with attend map add DEVICE_USER_ID EMPLOYEE_CODE, attend map auto, or attend map add on a terminal.')
      }
      return result
    }
    const page = pageOf(await listMappings(store, {employeeCode: flags.employee, device: flags.device}), flags)
    const result = listed('mappings', page)
    const mappings = page.rows
    if (this.jsonEnabled()) return result
    if (page.total === 0) this.log('No mappings yet.')
    else if (page.rows.length > 0) {
      this.log(
        renderTable(mappings, [
          {header: 'Device user', get: (m) => m.deviceUserId},
          {header: 'Device', get: (m) => m.device ?? 'all'},
          {header: 'Code', get: (m) => m.employeeCode},
          {header: 'Employee', get: (m) => m.employeeName},
        ]),
      )
    }
    this.logPage(page)
    return result
  }
}
