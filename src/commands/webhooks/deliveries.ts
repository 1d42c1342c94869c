import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {readSettings} from '../../settings/settings.js'
import {deliveriesTable, deliveryDetail} from '../../webhooks/render.js'
import {listDeliveries, showDelivery, type DeliveryDetail, type DeliveryView} from '../../webhooks/service.js'

export default class WebhooksDeliveries extends AttendCommand {
  static override summary = 'List webhook deliveries, newest first; with an ID, one delivery and every attempt of it.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --failed --webhook 1',
    '<%= config.bin %> <%= command.id %> 42',
  ]

  static override args = {
    id: Args.integer({description: 'A delivery id: show its attempts (time, status, duration, error, answer).'}),
  }

  static override flags = {
    failed: Flags.boolean({description: 'Only deliveries that failed for good.', default: false}),
    webhook: Flags.integer({description: 'Only this webhook\'s deliveries.'}),
    limit: Flags.integer({description: 'How many at most.', default: 50, min: 1, max: 10_000}),
  }

  async run(): Promise<DeliveryView[] | DeliveryDetail> {
    const {args, flags} = await this.parse(WebhooksDeliveries)
    const store = this.store(flags.db)
    const zone = readSettings(store).timezone
    const now = this.now()
    if (args.id !== undefined) {
      const detail = showDelivery(store, args.id, now)
      if (!this.jsonEnabled()) for (const line of deliveryDetail(detail, zone)) this.log(line)
      return detail
    }
    const deliveries = listDeliveries(store, {webhookId: flags.webhook, failed: flags.failed, limit: flags.limit}, now)
    if (this.jsonEnabled()) return deliveries
    this.log(deliveries.length === 0 ? 'No deliveries.' : deliveriesTable(deliveries, zone))
    return deliveries
  }
}
