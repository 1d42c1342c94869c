import {AttendCommand} from '../../base-command.js'
import {httpSender} from '../../webhooks/sender.js'
import {deliverOnce, type DeliverSummary} from '../../webhooks/service.js'

export default class WebhooksDeliver extends AttendCommand {
  static override summary = 'Send every webhook delivery that is due, once, and exit (for cron, without attend serve).'
  static override description = `Also announces devices not seen within device-offline-after as offline, and deletes delivered rows older than webhook-retention. Safe next to attend serve or another deliver: deliveries are claimed with a lease, so no attempt is sent twice. Exit 3 when some attempt failed (it is retried on a later run, on the schedule 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h). Runs on SQLite and PostgreSQL stores alike; on PostgreSQL several can run at once, on several machines.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '* * * * *  attend webhooks deliver --db /var/lib/attend/attend.db',
    '* * * * *  attend webhooks deliver --db postgres://attend@db.example/attend',
  ]

  async run(): Promise<DeliverSummary> {
    const {flags} = await this.parse(WebhooksDeliver)
    const store = await this.attendStore(flags.db)
    const summary = await deliverOnce(store, {now: () => this.now(), send: httpSender(`attend/${this.config.version}`)})
    const parts = [`${summary.attempts} attempts`, `${summary.delivered} delivered`, `${summary.retrying} to retry`, `${summary.failed} failed`]
    this.log(`Webhooks: ${parts.join(', ')}.`)
    for (const id of summary.disabled) this.log(`Webhook ${id} answered 410 Gone and was disabled (attend webhooks list).`)
    if (summary.wentOffline > 0) this.log(`Devices gone offline: ${summary.wentOffline}.`)
    if (summary.pruned > 0) this.log(`Pruned ${summary.pruned} delivered deliveries past the retention.`)
    if (summary.retrying > 0 || summary.failed > 0) this.partial()
    return summary
  }
}
