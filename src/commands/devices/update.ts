import {Args, Flags} from '@oclif/core'

import {connectionFlags} from '../../agent/flags.js'
import {AttendCommand} from '../../base-command.js'
import {describeAgentAddress} from '../../devices/agent-settings.js'
import {describeAllowFrom} from '../../devices/allow-list.js'
import {deviceDirections, deviceModes, deviceStatuses, toDeviceView, updateDevice, type DeviceView} from '../../devices/service.js'

export default class DevicesUpdate extends AttendCommand {
  static override summary = 'Change a device\'s name, location, direction, mode, status, time zone, agent-mode address, CAMS service tag id or allowed addresses.'
  static override description = 'Only the flags you pass change. --timezone none (or "") makes the device use the site zone again; --comm-key none removes the comm key; --allow-from none lets it connect from anywhere again.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --direction in --location "Gate A, entry"',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --status active',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --timezone none',
    '<%= config.bin %> <%= command.id %> SN7A2300583 --state-map 0=in,1=out',
    '<%= config.bin %> <%= command.id %> A6F5190460123 --mode agent --ip 192.168.1.201 --protocol udp --comm-key 123456',
    '<%= config.bin %> <%= command.id %> ZHM1140012 --cams-stgid ST-4FJ2K9',
    '<%= config.bin %> <%= command.id %> CDQ9192960002 --allow-from 192.168.1.0/24,10.0.0.7',
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
    'cams-stgid': Flags.string({description: 'CAMS gateway service tag id (ST-…; none to clear): its batches, which carry no token, are accepted for this device.'}),
    'allow-from': Flags.string({description: 'Addresses or CIDR ranges the device may connect from, e.g. 192.168.1.0/24,10.0.0.7 (none: anywhere).'}),
    ...connectionFlags,
  }

  async run(): Promise<DeviceView> {
    const {args, flags} = await this.parse(DevicesUpdate)
    const {db: _db, json: _json, 'state-map': stateMap, 'comm-key': commKey, 'cams-stgid': camsStgid, 'allow-from': allowFrom, ...rest} = flags
    const device = await updateDevice(this.attendStore(flags.db), args.serial, {...rest, stateMap, commKey, camsStgid, allowFrom}, this.now())
    const extras = [device.camsStgid ? `CAMS stgid ${device.camsStgid}` : null, device.allowFrom ? `allowed from ${describeAllowFrom(device.allowFrom)}` : null].filter(Boolean)
    this.log(
      `Updated ${device.serial} (${device.name}): ${device.status}, ${describeAgentAddress(device) ?? `${device.mode} mode`}, direction ${device.direction}, zone ${device.timezone ?? 'site'}${extras.length ? `, ${extras.join(', ')}` : ''}.`,
    )
    return toDeviceView(device)
  }
}
