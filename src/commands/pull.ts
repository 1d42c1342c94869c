import {Flags} from '@oclif/core'

import {AttendCommand} from '../base-command.js'
import {AttendError, UsageError} from '../errors.js'
import {timeoutFlag} from '../agent/flags.js'
import {liveCapture, type LiveDeviceSummary} from '../agent/live.js'
import {devicesToPull, pullDevices, type PullSummary} from '../agent/pull.js'
import {liveLine, pullLine, totalLine} from '../agent/render.js'
import {watchPulls} from '../agent/watch.js'
import {transferProgress} from '../render/transfer-progress.js'

export type PullResult = PullSummary | {rounds: number; last: PullSummary | null} | {devices: LiveDeviceSummary[]}

export default class Pull extends AttendCommand {
  static override summary = 'Read punches and users from agent-mode terminals over the ZKTeco protocol (TCP/UDP port 4370).'
  static override description = `Reads the attendance log and the users of every active agent-mode device (or the one named) and stores the punches through the same pipeline as every other source (source "agent"): pulling again stores nothing twice. Device users with names show in attend map list --unmapped. Times are the device's wall clock, read in its --timezone, else the site zone.

Prints one line per device: records read, new, duplicates, rejected, users and time taken. A device that fails (unreachable, silent, wrong comm key, another serial at its address) is named with the reason and the others go on; the exit code is then 3 (also when records were rejected).

--clear-after empties the device log once its records are committed here, and asks first unless --yes. --watch pulls again every SECONDS until interrupted; --live keeps a session open and stores each punch as it happens (reconnecting with backoff). Ctrl-C stops after the current step and always re-enables the device.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --device CDQ9192960002 --json',
    {description: 'Pull, then empty the device logs once stored (no prompt)', command: '<%= config.bin %> <%= command.id %> --clear-after --yes'},
    {description: 'Pull every 5 minutes until stopped', command: '<%= config.bin %> <%= command.id %> --watch 300'},
    {description: 'Store punches as they happen', command: '<%= config.bin %> <%= command.id %> --live --device CDQ9192960002'},
  ]

  static override flags = {
    device: Flags.string({description: 'Serial of the one device to pull (default: every active agent-mode device).'}),
    'clear-after': Flags.boolean({description: 'Clear the device log once its records are stored (asks first).', default: false}),
    yes: Flags.boolean({char: 'y', description: 'Do not ask before --clear-after.', default: false}),
    watch: Flags.integer({description: 'Pull again every SECONDS until interrupted.', helpValue: 'SECONDS', min: 1}),
    live: Flags.boolean({description: 'Keep a session open and store each punch as it happens.', default: false, exclusive: ['watch', 'clear-after']}),
    timeout: timeoutFlag(),
  }

  async run(): Promise<PullResult> {
    const {flags} = await this.parse(Pull)
    const store = this.attendStore(flags.db)
    const list = await devicesToPull(store, flags.device)
    if (flags['clear-after'] && !flags.yes) await this.confirmClear(list.map((d) => d.serial))

    const stop = new AbortController()
    const onSignal = (): void => {
      if (stop.signal.aborted) process.exit(130)
      this.logToStderr('attend pull: stopping after the current step (the devices are re-enabled); Ctrl-C again to quit at once')
      stop.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    const json = this.jsonEnabled()
    // Bars on a terminal only, and not under --live, whose lines would be drawn over.
    const bars = process.stderr.isTTY && !json && !flags.live
    let progress = bars ? transferProgress() : undefined
    const options = {
      now: () => this.now(),
      timeoutMs: flags.timeout,
      clearAfter: flags['clear-after'],
      signal: stop.signal,
      onProgress: bars ? (p: {serial: string; table: string; bytes: number; total: number}) => progress?.update(p.serial, `${p.serial} ${p.table}`, p.bytes, p.total) : undefined,
    }
    try {
      if (flags.live) {
        const devices = await liveCapture(store, list, {
          ...options,
          onEvent: (event) => (json ? this.log(JSON.stringify(event)) : this.log(liveLine(event))),
        })
        return {devices}
      }
      if (flags.watch !== undefined) {
        const watched = await watchPulls(store, flags.device, {...options, intervalMs: flags.watch * 1000}, (summary) => {
          progress?.stop()
          progress = bars ? transferProgress() : undefined
          if (json) this.log(JSON.stringify(summary))
          else this.report(summary)
        })
        if (watched.last && (watched.last.failed > 0 || watched.last.rejected > 0)) this.partial()
        return watched
      }
      const summary = await pullDevices(store, list, options)
      progress?.stop()
      if (!json) this.report(summary)
      if (summary.failed > 0 || summary.rejected > 0) this.partial()
      return summary
    } finally {
      progress?.stop()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }

  private report(summary: PullSummary): void {
    for (const result of summary.devices) {
      if (result.ok) this.log(pullLine(result))
      else this.logToStderr(pullLine(result))
      for (const warning of result.warnings) this.logToStderr(`  warning: ${warning}`)
      for (const rejected of result.rejectedRecords) this.logToStderr(`  ${rejected.reason}`)
      const more = result.rejected - result.rejectedRecords.length
      if (more > 0) this.logToStderr(`  … and ${more} more rejected record${more === 1 ? '' : 's'}`)
    }
    if (summary.devices.length > 1) this.log(totalLine(summary))
  }

  private async confirmClear(serials: string[]): Promise<void> {
    if (!process.stdin.isTTY || !process.stdout.isTTY || this.jsonEnabled()) {
      throw new UsageError('--clear-after deletes the attendance log on the device once its records are stored here: confirm with --yes (there is no terminal to ask on).', 'confirm_clear')
    }
    // Lazily imported: the prompt library is only needed on this path.
    const {confirm} = await import('@inquirer/prompts')
    const ok = await confirm({message: `Clear the attendance log of ${serials.join(', ')} once its records are stored here?`, default: false})
    if (!ok) throw new AttendError('Nothing pulled: clearing the device log was not confirmed (leave out --clear-after to pull without clearing).', {code: 'not_confirmed'})
  }
}
