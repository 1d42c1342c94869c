import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {rotateDeviceToken, toDeviceView, type DeviceView} from '../../devices/service.js'

export default class DevicesToken extends AttendCommand {
  static override summary = 'Issue a new token for a device and print it once.'
  static override description = 'The previous token stops working at once: enter the new one in the device\'s settings.'
  static override examples = ['<%= config.bin %> <%= command.id %> CDQ9192960002']
  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  async run(): Promise<{device: DeviceView; token: string}> {
    const {args, flags} = await this.parse(DevicesToken)
    const {device, token} = await rotateDeviceToken(this.attendStore(flags.db), args.serial, this.now())
    this.log(`New token for ${device.serial} (${device.name}); the previous one no longer works.`)
    this.log('Device token (shown once; only its hash is stored):')
    this.log(`  ${token}`)
    return {device: toDeviceView(device), token}
  }
}
