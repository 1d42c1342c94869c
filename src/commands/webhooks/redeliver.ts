import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {redeliver, type DeliveryView} from '../../webhooks/service.js'

export default class WebhooksRedeliver extends AttendCommand {
  static override summary = 'Send one delivery again (the same event id and body), with a fresh retry schedule.'
  static override description = 'It is due at once: attend serve sends it within a second, or run attend webhooks deliver.'
  static override examples = ['<%= config.bin %> <%= command.id %> 42']
  static override args = {
    id: Args.integer({description: 'Delivery id (see attend webhooks deliveries).', required: true}),
  }

  async run(): Promise<DeliveryView> {
    const {args, flags} = await this.parse(WebhooksRedeliver)
    const delivery = await redeliver(this.attendStore(flags.db), args.id, this.now())
    this.log(`Delivery ${delivery.id} (${delivery.eventId}, ${delivery.eventType}) to webhook ${delivery.webhookId} is due again now.`)
    return delivery
  }
}
