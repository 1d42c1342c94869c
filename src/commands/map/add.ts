import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {UsageError} from '../../errors.js'
import {mapInteractively, type InteractiveMapResult} from '../../mappings/interactive.js'
import {addMapping, type AddMappingResult} from '../../mappings/service.js'

export default class MapAdd extends AttendCommand {
  static override summary = 'Map a device user id to an employee (no arguments on a terminal: pick interactively).'
  static override description = `Without --device the mapping applies to every device; a mapping for one device wins over it.
Stored punches of that device user move to the employee and their days are recomputed.

With no arguments on a terminal, walks through the device users seen in punches but not mapped
(most punches first) and lets you search employees by name or code, pick one, or skip.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 42 EMP001',
    '<%= config.bin %> <%= command.id %> 7 EMP014 --device CDQ9192960002',
    '<%= config.bin %> <%= command.id %>',
  ]

  static override args = {
    deviceUserId: Args.string({description: 'The user id enrolled on the device (PIN).'}),
    employeeCode: Args.string({description: 'Employee code.'}),
  }

  static override flags = {
    device: Flags.string({description: 'Only for punches from this device serial.'}),
  }

  async run(): Promise<AddMappingResult | InteractiveMapResult> {
    const {args, flags} = await this.parse(MapAdd)
    if (args.deviceUserId === undefined) {
      if (!process.stdin.isTTY || !process.stdout.isTTY || flags.json) {
        throw new UsageError('attend map add needs DEVICE_USER_ID and EMPLOYEE_CODE (it picks interactively only on a terminal): e.g. attend map add 42 EMP001.')
      }
      if (flags.device) throw new UsageError('--device needs DEVICE_USER_ID and EMPLOYEE_CODE: the interactive walk maps for all devices.')
      // Lazily imported: the prompt library is only needed on this path.
      const {search} = await import('@inquirer/prompts')
      try {
        const result = await mapInteractively(this.attendStore(flags.db), {search}, this.now(), (line) => this.log(line))
        this.log(`Mapped ${result.mapped.length}, skipped ${result.skipped.length}${result.stopped ? ', stopped early' : ''}.`)
        return result
      } catch (error) {
        // Ctrl+C: every pick so far is already committed.
        if ((error as Error).name === 'ExitPromptError') {
          this.log('Stopped; the mappings picked so far are saved.')
          return {mapped: [], skipped: [], stopped: true}
        }
        throw error
      }
    }
    if (args.employeeCode === undefined) {
      throw new UsageError(`Missing EMPLOYEE_CODE: attend map add ${args.deviceUserId} EMPLOYEE_CODE [--device SN].`)
    }
    const result = await addMapping(this.attendStore(flags.db),
      {deviceUserId: args.deviceUserId, employeeCode: args.employeeCode, deviceSerial: flags.device},
      this.now(),
    )
    const {mapping} = result
    const scope = mapping.device ? `on ${mapping.device}` : 'on all devices'
    const replaced = result.previous ? ` (was ${result.previous.code} ${result.previous.name})` : ''
    this.log(`Mapped device user ${mapping.deviceUserId} ${scope} → ${mapping.employeeCode} ${mapping.employeeName}${replaced}; ${result.reresolved} stored punches updated.`)
    return result
  }
}
