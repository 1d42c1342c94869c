import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {removeMapping, type MappingView} from '../../mappings/service.js'

export default class MapRemove extends AttendCommand {
  static override summary = 'Remove a mapping.'
  static override description = `The device user's stored punches fall back to the mapping for all devices (when removing a
device-specific one), else to nobody, and the affected days are recomputed.`

  static override examples = ['<%= config.bin %> <%= command.id %> 42', '<%= config.bin %> <%= command.id %> 7 --device CDQ9192960002']
  static override args = {
    deviceUserId: Args.string({description: 'The user id enrolled on the device.', required: true}),
  }

  static override flags = {
    device: Flags.string({description: 'Remove the mapping limited to this device serial (default: the one for all devices).'}),
  }

  async run(): Promise<{mapping: MappingView; reresolved: number}> {
    const {args, flags} = await this.parse(MapRemove)
    const result = await removeMapping(this.attendStore(flags.db), {deviceUserId: args.deviceUserId, deviceSerial: flags.device}, this.now())
    const {mapping} = result
    this.log(
      `Removed mapping of device user ${mapping.deviceUserId} ${mapping.device ? `on ${mapping.device}` : 'on all devices'} → ${mapping.employeeCode}; ${result.reresolved} stored punches updated.`,
    )
    return result
  }
}
