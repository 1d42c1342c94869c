import {Flags} from '@oclif/core'

import {connectionFlags} from '../../agent/flags.js'
import {AttendCommand} from '../../base-command.js'
import {describeAgentAddress} from '../../devices/agent-settings.js'
import {addDevice, deviceDirections, deviceModes, toDeviceView, type DeviceView} from '../../devices/service.js'

export default class DevicesAdd extends AttendCommand {
  static override summary = 'Register a biometric terminal and print its device token once.'
  static override description = `attend serve accepts punches only from registered, active serials. The token printed here
authenticates token-based devices (CAMS auth-token, push-mode Bearer token); it is shown once and
only its hash is stored — use "attend devices token SN" to issue a new one.

Agent-mode devices are read by attend pull over the ZKTeco protocol: give their --ip (and --port,
--protocol, --comm-key when not the defaults 4370, auto and none). The comm key is stored but never
shown again.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --serial CDQ9192960002 --name "Main gate" --location "Gate A"',
    '<%= config.bin %> <%= command.id %> --serial AOXP182960456 --name "Staff room" --direction in --timezone Africa/Nairobi',
    '<%= config.bin %> <%= command.id %> --serial SN7A2300583 --name "CAMS lobby" --state-map 0=in,1=out',
    '<%= config.bin %> <%= command.id %> --serial A6F5190460123 --name "Back door" --mode agent --ip 192.168.1.201 --comm-key 123456',
    '<%= config.bin %> <%= command.id %> --serial ZHM1140012 --name "Gate (CAMS)" --cams-stgid ST-4FJ2K9 --allow-from 203.0.113.0/28',
    '<%= config.bin %> <%= command.id %> --serial CDQ9192960002 --name "Main gate" --allow-from 192.168.1.0/24',
  ]

  static override flags = {
    serial: Flags.string({description: 'Serial number the device reports (SN).', required: true}),
    name: Flags.string({description: 'A name admins recognise.', required: true}),
    location: Flags.string({description: 'Where it is installed.'}),
    type: Flags.string({description: 'Model or kind (e.g. ZKTeco K40, face, card).'}),
    direction: Flags.string({description: 'in/out force the role of every punch from this device.', options: [...deviceDirections], default: 'auto'}),
    mode: Flags.string({description: 'push: the device sends to attend serve; agent: attend pull reads it.', options: [...deviceModes], default: 'push'}),
    timezone: Flags.string({description: 'IANA zone of the device clock when it differs from the site zone.'}),
    'state-map': Flags.string({description: 'Raw status/state code → direction, e.g. 0=in,1=out (none to clear): for devices whose codes are known.'}),
    'cams-stgid': Flags.string({description: 'CAMS gateway service tag id (ST-…): its batches, which carry no token, are accepted for this device.'}),
    'allow-from': Flags.string({description: 'Addresses or CIDR ranges the device may connect from, e.g. 192.168.1.0/24,10.0.0.7 (default: anywhere).'}),
    ...connectionFlags,
  }

  async run(): Promise<{device: DeviceView; token: string}> {
    const {flags} = await this.parse(DevicesAdd)
    const {device, token} = await addDevice(this.attendStore(flags.db), {...flags, stateMap: flags['state-map'], commKey: flags['comm-key'], camsStgid: flags['cams-stgid'], allowFrom: flags['allow-from']}, this.now())
    this.log(`Registered ${device.serial} (${device.name}): ${describeAgentAddress(device) ?? `${device.mode} mode`}, direction ${device.direction}${device.timezone ? `, zone ${device.timezone}` : ''}.`)
    this.log('Device token (shown once; only its hash is stored):')
    this.log(`  ${token}`)
    return {device: toDeviceView(device), token}
  }
}
