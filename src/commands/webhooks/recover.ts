import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {formatLocal} from '../../devices/format.js'
import {recover, type WebhookView} from '../../webhooks/service.js'

export default class WebhooksRecover extends AttendCommand {
  static override summary = 'Re-queue every failed delivery of a webhook since a time (after an outage longer than the retry schedule).'
  static override description = 'TIME is a date (2026-03-12, from its start in the site zone), a local time (2026-03-12 08:00), an ISO instant, or a span ago (2d, 12h). Each delivery keeps its event id and body and gets a fresh schedule.'
  static override examples = ['<%= config.bin %> <%= command.id %> 1 --since 2026-03-10', '<%= config.bin %> <%= command.id %> 1 --since 3d']
  static override args = {
    id: Args.integer({description: 'Webhook id (see attend webhooks list).', required: true}),
  }

  static override flags = {
    since: Flags.string({description: 'Failed deliveries created at or after this time.', required: true}),
  }

  async run(): Promise<{webhook: WebhookView; since: number; requeued: number}> {
    const {args, flags} = await this.parse(WebhooksRecover)
    const store = this.attendStore(flags.db)
    const result = await recover(store, args.id, flags.since, this.now())
    const zone = (await store.siteSettings.read()).timezone
    this.log(`Re-queued ${result.requeued} failed deliveries of webhook ${result.webhook.id} since ${formatLocal(result.since, zone)} (${zone}).`)
    return result
  }
}
