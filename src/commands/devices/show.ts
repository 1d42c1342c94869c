import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {formatLocal} from '../../devices/format.js'
import {requireDevice, toDeviceView, type DeviceView} from '../../devices/service.js'
import {readSettings} from '../../settings/settings.js'

export default class DevicesShow extends AttendCommand {
  static override summary = 'Show one device.'
  static override examples = ['<%= config.bin %> <%= command.id %> CDQ9192960002']
  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  async run(): Promise<DeviceView> {
    const {args, flags} = await this.parse(DevicesShow)
    const store = this.store(flags.db)
    const device = toDeviceView(requireDevice(store, args.serial))
    const zone = device.timezone ?? readSettings(store).timezone
    const lines: [string, string | null][] = [
      ['Serial', device.serial],
      ['Name', device.name],
      ['Location', device.location],
      ['Type', device.type],
      ['Mode', device.mode],
      ['Direction', device.direction],
      ['Status', device.status],
      ['Time zone', device.timezone ?? `site (${zone})`],
      ['State map', device.stateMap ?? 'none (status codes stored raw)'],
      ['CAMS stgid', device.camsStgid ?? 'none'],
      ['Allow from', device.allowFrom ?? 'anywhere'],
      ['Token', device.hasToken ? `${device.tokenPrefix}… (set)` : 'none'],
      ['Last seen', formatLocal(device.lastSeenAt, zone) ?? 'never'],
      ['Registered', formatLocal(device.createdAt, zone)],
    ]
    for (const [label, value] of lines) this.log(`${(label + ':').padEnd(12)}${value ?? '-'}`)
    return device
  }
}
