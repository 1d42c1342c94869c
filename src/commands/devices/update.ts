import {Args, Flags} from '@oclif/core'

import {connectionFlags} from '../../agent/flags.js'
import {AttendCommand} from '../../base-command.js'
import {describeAgentAddress} from '../../devices/agent-settings.js'
import {deviceDirections, deviceModes, deviceStatuses, toDeviceView, updateDevice, type DeviceView} from '../../devices/service.js'

export default class DevicesUpdate extends AttendCommand {
  static override summary = 'Change a device\'s name, location, direction, mode, status, time zone or agent-mode address.'
  static override description = 'Only the flags you pass change. --timezone none (or "") makes the device use the site zone again; --comm-key none removes the comm key.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --direction in --location "Gate A, entry"',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --status active',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --timezone none',
    '<%= config.bin %> <%= command.id %> SN7A2300583 --state-map 0=in,1=out',
    '<%= config.bin %> <%= command.id %> A6F5190460123 --mode agent --ip 192.168.1.201 --protocol udp --comm-key 123456',
  ]

  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  static override flags = {
    name: Flags.string({description: 'A name admins recognise.'}),
    location: Flags.string({description: 'Where it is installed ("" to clear).'}),
    type: Flags.string({description: 'Model or kind ("" to clear).'}),
    direction: Flags.string({description: 'in/out force the role of every punch from this device.', options: [...deviceDirections]}),
    mode: Flags.string({description: 'push or agent.', options: [...deviceModes]}),
    status: Flags.string({description: 'active or inactive (inactive devices are refused by attend serve).', options: [...deviceStatuses]}),
    timezone: Flags.string({description: 'IANA zone of the device clock (none: use the site zone).'}),
    'state-map': Flags.string({description: 'Raw status/state code → direction, e.g. 0=in,1=out (none to clear): for devices whose codes are known.'}),
    ...connectionFlags,
  }

  async run(): Promise<DeviceView> {
    const {args, flags} = await this.parse(DevicesUpdate)
    const {db: _db, json: _json, 'state-map': stateMap, 'comm-key': commKey, ...rest} = flags
    const device = updateDevice(() => this.store(flags.db), args.serial, {...rest, stateMap, commKey}, this.now())
    this.log(`Updated ${device.serial} (${device.name}): ${device.status}, ${describeAgentAddress(device) ?? `${device.mode} mode`}, direction ${device.direction}, zone ${device.timezone ?? 'site'}.`)
    return toDeviceView(device)
  }
}
