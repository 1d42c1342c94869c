import {Args, Flags} from '@oclif/core'

import {timeoutFlag} from '../../agent/flags.js'
import {describeDrift, deviceTime, type DeviceTimeResult} from '../../agent/probe.js'
import {AttendCommand} from '../../base-command.js'

export default class DevicesTime extends AttendCommand {
  static override summary = 'Show an agent-mode device\'s clock and its drift from ours; --sync sets it.'
  static override description = `Terminals stamp punches with their own wall clock, so a clock that drifts moves every punch. --sync sets the device clock to our time in the device's zone (its --timezone, else the site zone) and reads it back.`

  static override examples = ['<%= config.bin %> <%= command.id %> CDQ9192960002', '<%= config.bin %> <%= command.id %> CDQ9192960002 --sync']

  static override args = {
    serial: Args.string({description: 'Device serial.', required: true}),
  }

  static override flags = {
    sync: Flags.boolean({description: 'Set the device clock to ours.', default: false}),
    timeout: timeoutFlag(),
  }

  async run(): Promise<DeviceTimeResult> {
    const {args, flags} = await this.parse(DevicesTime)
    const result = await deviceTime(this.attendStore(flags.db), {serial: args.serial, sync: flags.sync, timeoutMs: flags.timeout}, () => this.now())
    this.log(`Device time: ${result.before.deviceTime} (${result.before.zone})`)
    this.log(`Our time:    ${result.before.ourTime}`)
    this.log(`Drift:       ${describeDrift(result.before.driftSeconds)}`)
    if (result.after) this.log(`Set the device clock to ${result.after.deviceTime} (${result.after.zone}); drift now ${describeDrift(result.after.driftSeconds)}.`)
    return result
  }
}
