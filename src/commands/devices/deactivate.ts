import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {deactivateDevice, toDeviceView, type DeviceView} from '../../devices/service.js'

export default class DevicesDeactivate extends AttendCommand {
  static override summary = 'Stop accepting punches from a device.'
  static override description = `attend serve refuses an inactive device; its stored punches stay. Re-enable it with
"attend devices update SN --status active".`

  static override examples = ['<%= config.bin %> <%= command.id %> CDQ9192960002']
  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  async run(): Promise<DeviceView> {
    const {args, flags} = await this.parse(DevicesDeactivate)
    const device = await deactivateDevice(this.attendStore(flags.db), args.serial, this.now())
    this.log(`Deactivated ${device.serial} (${device.name}): attend serve now refuses it.`)
    return toDeviceView(device)
  }
}
