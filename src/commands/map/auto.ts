import {AttendCommand} from '../../base-command.js'
import {autoMap, type AutoMapResult} from '../../mappings/auto.js'

export default class MapAuto extends AttendCommand {
  static override summary = 'Map every unmapped device user id that equals an employee code.'
  static override description = `Compares case-insensitively with leading zeros ignored, so device user 0042 maps to code 42
and emp7 to EMP7. The mappings apply to all devices. Ids matching two codes (42 and 042) are left for
you to map by hand.`

  static override examples = ['<%= config.bin %> <%= command.id %>']

  async run(): Promise<AutoMapResult> {
    const {flags} = await this.parse(MapAuto)
    const result = await autoMap(this.attendStore(flags.db), this.now())
    for (const m of result.mapped) this.log(`Mapped ${m.deviceUserId} → ${m.employeeCode} ${m.employeeName}`)
    for (const a of result.ambiguous) this.log(`Skipped ${a.deviceUserId}: matches ${a.employeeCodes.join(' and ')}`)
    this.log(
      `${result.mapped.length} mapped, ${result.ambiguous.length} ambiguous, ${result.unmatched.length} with no matching code; ${result.reresolved} stored punches updated.`,
    )
    return result
  }
}
