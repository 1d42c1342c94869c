import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {removeWebhook, type WebhookView} from '../../webhooks/service.js'

export default class WebhooksRemove extends AttendCommand {
  static override summary = 'Delete a webhook with its deliveries and their attempt log.'
  static override description = 'To stop sending for a while instead, use attend webhooks update ID --disable.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2']
  static override args = {
    id: Args.integer({description: 'Webhook id (see attend webhooks list).', required: true}),
  }

  async run(): Promise<{webhook: WebhookView; deliveries: number}> {
    const {args, flags} = await this.parse(WebhooksRemove)
    const result = await removeWebhook(this.attendStore(flags.db), args.id, this.now())
    this.log(`Removed webhook ${result.webhook.id} (${result.webhook.url}) and its ${result.deliveries} deliveries.`)
    return result
  }
}
