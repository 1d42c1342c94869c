import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {allEventTypes} from '../../webhooks/events.js'
import {describeEndpoint} from '../../webhooks/render.js'
import {addWebhook, type WebhookView} from '../../webhooks/service.js'

export default class WebhooksAdd extends AttendCommand {
  static override summary = 'Subscribe a URL to events; print its signing secret once.'
  static override description = `Events: ${allEventTypes.join(', ')} (or all).

Every request is a POST of {id, type, created_at, data} signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature headers). The secret (whsec_…) is generated unless --secret gives one, and shown only now: the receiver verifies signatures with it. Delivered by attend serve in the background, or by attend webhooks deliver from cron.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> https://payroll.example.com/hooks/attend --events attendance_day.updated,user.created,user.updated',
    '<%= config.bin %> <%= command.id %> https://erp.example.com/attend --events all --description "ERP sync"',
  ]

  static override args = {
    url: Args.string({description: 'Where events are POSTed (https:// or http://).', required: true}),
  }

  static override flags = {
    events: Flags.string({description: 'Comma-separated event types, or all.', required: true}),
    secret: Flags.string({description: 'Use this whsec_… secret instead of generating one.'}),
    description: Flags.string({description: 'What the endpoint is for (shown in listings).'}),
    'max-in-flight': Flags.integer({description: 'Requests in flight to this URL at most (default 4).'}),
  }

  async run(): Promise<{webhook: WebhookView; secret: string}> {
    const {args, flags} = await this.parse(WebhooksAdd)
    const result = await addWebhook(
      this.attendStore(flags.db),
      {url: args.url, events: flags.events, secret: flags.secret, description: flags.description, maxInFlight: flags['max-in-flight']},
      this.now(),
    )
    this.log(`Added ${describeEndpoint(result.webhook).replace(/^Webhook/, 'webhook')}`)
    this.log('Signing secret (shown once; the receiver verifies webhook-signature with it):')
    this.log(`  ${result.secret}`)
    return result
  }
}
