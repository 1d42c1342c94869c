import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {deviceCommandStatuses, listCommandsForDevice, type DeviceCommandTarget, type DeviceCommandView} from '../../devices/commands.js'
import {formatLocal} from '../../devices/format.js'
import {renderTable} from '../../render/table.js'

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
  }

  async run(): Promise<{device: DeviceCommandTarget; commands: DeviceCommandView[]}> {
    const {args, flags} = await this.parse(DevicesCommands)
    const listed = listCommandsForDevice(() => this.store(flags.db), args.serial, {status: flags.status})
    if (this.jsonEnabled()) return listed
    const {device, commands} = listed
    if (commands.length === 0) {
      const which = flags.status === undefined ? 'No commands' : `No ${flags.status} commands`
      this.log(`${which} for ${device.serial} (${device.name}); queue one with attend devices queue ${device.serial}.`)
      return listed
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
    return listed
  }
}
