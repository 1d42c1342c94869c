import {Args} from '@oclif/core'

import {connectionFlags, timeoutFlag} from '../../agent/flags.js'
import {describeDrift, probeDevice, type ProbeResult} from '../../agent/probe.js'
import {AttendCommand} from '../../base-command.js'

export default class DevicesProbe extends AttendCommand {
  static override summary = 'Connect to a terminal over the ZKTeco protocol (port 4370) and show what it reports.'
  static override description = `Shows the device's serial (and whether it is the registered one), model, platform, firmware, user and record counts with their capacity, and its clock with the drift from ours. Changes nothing on the device.

Name a registered device, or probe any address with --ip (e.g. before registering it). When nothing answers on 4370 over TCP or UDP, the device may only speak the push protocol (ADMS), as many newer models do: register it in push mode instead.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> CDQ9192960002',
    '<%= config.bin %> <%= command.id %> --ip 192.168.1.201',
    '<%= config.bin %> <%= command.id %> --ip 192.168.1.201 --protocol udp --comm-key 123456 --json',
  ]

  static override args = {
    serial: Args.string({description: 'Serial of a registered device (or use --ip).'}),
  }

  static override flags = {
    ...connectionFlags,
    timeout: timeoutFlag(),
  }

  async run(): Promise<ProbeResult> {
    const {args, flags} = await this.parse(DevicesProbe)
    const result = await probeDevice(
      this.attendStore(flags.db),
      {serial: args.serial, ip: flags.ip, port: flags.port, protocol: flags.protocol, commKey: flags['comm-key'], timeoutMs: flags.timeout},
      () => this.now(),
    )
    const of = (count: number | null, capacity: number | null): string => (count === null ? '-' : capacity ? `${count} of ${capacity}` : String(count))
    const lines: [string, string | null][] = [
      ['Address', `${result.address} (${result.protocol.toUpperCase()})`],
      ['Serial', `${result.serial ?? 'not reported'}${serialNote(result)}`],
      ['Model', result.deviceName],
      ['Platform', result.platform],
      ['Firmware', result.firmware],
      ['Users', of(result.counts.users, result.capacity.users)],
      ['Fingerprints', of(result.counts.fingers, result.capacity.fingers)],
      ['Faces', of(result.counts.faces, result.capacity.faces)],
      ['Records', of(result.counts.records, result.capacity.records)],
      ['Device time', `${result.clock.deviceTime} (${result.clock.zone})`],
      ['Our time', result.clock.ourTime],
      ['Drift', describeDrift(result.clock.driftSeconds)],
    ]
    for (const [label, value] of lines) this.log(`${(label + ':').padEnd(14)}${value ?? '-'}`)
    if (result.serialMatches === false) {
      this.logToStderr(`Warning: this is not ${result.registered?.serial}: attend pull would refuse it. Check the address, or register this device.`)
    }
    return result
  }
}

function serialNote(result: ProbeResult): string {
  if (result.serialMatches === true) return ` (registered: ${result.registered!.name}, ${result.registered!.mode} mode)`
  if (result.serialMatches === false) return ` (NOT the registered ${result.registered!.serial})`
  if (result.registered) return ` (registered as ${result.registered.name}, ${result.registered.mode} mode)`
  return ' (not registered: attend devices add --serial … --mode agent --ip …)'
}
