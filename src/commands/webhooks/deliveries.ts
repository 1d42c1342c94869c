import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, type Page} from '../../listing/page.js'
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
    ...pageFlags(50),
  }

  async run(): Promise<(Page & {deliveries: DeliveryView[]}) | DeliveryDetail> {
    const {args, flags} = await this.parse(WebhooksDeliveries)
    const store = this.attendStore(flags.db)
    const now = this.now()
    if (args.id !== undefined) {
      const detail = await showDelivery(store, args.id, now)
      if (!this.jsonEnabled()) for (const line of deliveryDetail(detail, (await store.siteSettings.read()).timezone)) this.log(line)
      return detail
    }
    const page = await listDeliveries(store, {webhookId: flags.webhook, failed: flags.failed, limit: flags.limit, offset: flags.offset}, now)
    const result = listed('deliveries', page)
    if (this.jsonEnabled()) return result
    if (page.total === 0) this.log('No deliveries.')
    else if (page.rows.length > 0) this.log(deliveriesTable(page.rows, (await store.siteSettings.read()).timezone))
    this.logPage(page)
    return result
  }
}
