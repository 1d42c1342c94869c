import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {queueCommandForDevice, requestFromChoices, type DeviceCommandTarget, type DeviceCommandView} from '../../devices/commands.js'
import {dateFlag} from '../../cli/flags.js'

export default class DevicesQueue extends AttendCommand {
  static override summary = 'Queue a command for a ZKTeco push-protocol device: re-upload punches or users, info, reboot, check.'
  static override description = `The device picks the command up on its next poll of attend serve (GET /iclock/getrequest, every Delay seconds) and reports the result: see it with "attend devices commands SERIAL". Only devices using the ZKTeco push protocol (ZKTeco, eSSL and other ZKTeco-made terminals) poll for commands.

Pass exactly one of --attlog-from (with --attlog-to for a range), --users, --info, --reboot, --check or --raw. Dates are the device's own local dates.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --attlog-from 2026-03-01 --attlog-to 2026-03-12',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --users',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --reboot',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --raw "DATA QUERY USERINFO PIN=1"',
  ]

  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  static override flags = {
    'attlog-from': dateFlag({description: 'Re-upload punches from this date (YYYY-MM-DD, the device\'s local date).'}),
    'attlog-to': dateFlag({description: 'Last date of the re-upload (default: --attlog-from).'}),
    users: Flags.boolean({description: 'Re-upload the user list.'}),
    info: Flags.boolean({description: 'Ask for the device\'s information (firmware, counts).'}),
    reboot: Flags.boolean({description: 'Restart the device.'}),
    check: Flags.boolean({description: 'Ask the device to check with the server again.'}),
    raw: Flags.string({description: 'A one-line command of the device\'s firmware, sent as it is.', helpValue: 'COMMAND'}),
  }

  async run(): Promise<{device: DeviceCommandTarget; command: DeviceCommandView}> {
    const {args, flags} = await this.parse(DevicesQueue)
    const request = requestFromChoices({
      attlogFrom: flags['attlog-from'],
      attlogTo: flags['attlog-to'],
      users: flags.users,
      info: flags.info,
      reboot: flags.reboot,
      check: flags.check,
      raw: flags.raw,
    })
    const queued = await queueCommandForDevice(this.attendStore(flags.db), args.serial, request, this.now())
    const {device, command} = queued
    // A TAB separates DATA QUERY fields on the wire; on a terminal a space reads the same.
    this.log(`Queued command ${command.id} for ${device.serial} (${device.name}): ${command.command.replaceAll('\t', ' ')}`)
    this.log('The device picks it up on its next poll of attend serve (only devices using the ZKTeco push protocol poll for commands).')
    return queued
  }
}
