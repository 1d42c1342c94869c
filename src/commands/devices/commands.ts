import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {deviceCommandStatuses, listCommandsForDevice, type DeviceCommandTarget, type DeviceCommandView} from '../../devices/commands.js'
import {formatLocal} from '../../devices/format.js'
import {renderTable} from '../../render/table.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'

export default class DevicesCommands extends AttendCommand {
  static override summary = 'List the commands queued for a device, and their results.'
  static override description = `Statuses: queued (waiting for the device's next poll), sent (handed out, no result yet), done (the device answered 0 or a record count), failed (a negative return code).

Times are shown in the device's zone, else the site zone; --json gives ISO 8601 UTC instants.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> CDQ9192960002',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --status failed',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --json',
  ]

  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  static override flags = {
    status: Flags.option({description: 'Only commands with this status.', options: deviceCommandStatuses})(),
    ...pageFlags(),
  }

  async run(): Promise<Page & {device: DeviceCommandTarget; commands: DeviceCommandView[]}> {
    const {args, flags} = await this.parse(DevicesCommands)
    const {device, commands: all} = await listCommandsForDevice(this.attendStore(flags.db), args.serial, {status: flags.status})
    const page = pageOf(all, flags)
    const result = {...listed('commands', page), device}
    if (this.jsonEnabled()) return result
    const commands = page.rows
    if (page.total === 0) {
      const which = flags.status === undefined ? 'No commands' : `No ${flags.status} commands`
      this.log(`${which} for ${device.serial} (${device.name}); queue one with attend devices queue ${device.serial}.`)
      return result
    }
    if (page.rows.length === 0) {
      this.logPage(page)
      return result
    }
    this.log(`Commands for ${device.serial} (${device.name}), times in ${device.zone} (${device.zoneIsSite ? 'site zone' : 'device zone'}):`)
    const local = (iso: string | null) => (iso === null ? null : formatLocal(Date.parse(iso), device.zone))
    this.log(
      renderTable(commands, [
        {header: 'Id', get: (c) => c.id, align: 'right'},
        {header: 'Command', get: (c) => c.command.replaceAll('\t', ' ')},
        {header: 'Status', get: (c) => c.status},
        {header: 'Queued', get: (c) => local(c.queuedAt)},
        {header: 'Sent', get: (c) => local(c.sentAt)},
        {header: 'Done', get: (c) => local(c.doneAt)},
        {header: 'Return', get: (c) => c.returnCode, align: 'right'},
      ]),
    )
    this.logPage(page)
    return result
  }
}
