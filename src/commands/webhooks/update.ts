import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {describeEndpoint} from '../../webhooks/render.js'
import {updateWebhook, type WebhookView} from '../../webhooks/service.js'

export default class WebhooksUpdate extends AttendCommand {
  static override summary = 'Change a webhook: URL, events, description, in-flight cap; enable or disable it.'
  static override description = 'A disabled endpoint (by --disable, or by a 410 Gone answer) is sent nothing and gets no new events; --enable resumes its pending deliveries. attend webhooks recover re-queues the ones that failed meanwhile.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 1 --events all',
    '<%= config.bin %> <%= command.id %> 1 --enable',
    '<%= config.bin %> <%= command.id %> 2 --url https://new.example.com/hooks --max-in-flight 8',
  ]

  static override args = {
    id: Args.integer({description: 'Webhook id (see attend webhooks list).', required: true}),
  }

  static override flags = {
    url: Flags.string({description: 'New URL.'}),
    events: Flags.string({description: 'Comma-separated event types, or all (replaces the list).'}),
    description: Flags.string({description: 'New description ("" clears it).'}),
    enable: Flags.boolean({description: 'Enable it (after a 410, or --disable).', exclusive: ['disable']}),
    disable: Flags.boolean({description: 'Stop sending to it.', exclusive: ['enable']}),
    'max-in-flight': Flags.integer({description: 'Requests in flight to this URL at most.'}),
  }

  async run(): Promise<WebhookView> {
    const {args, flags} = await this.parse(WebhooksUpdate)
    const enabled = flags.enable ? true : flags.disable ? false : undefined
    const webhook = await updateWebhook(
      this.attendStore(flags.db),
      args.id,
      {url: flags.url, events: flags.events, description: flags.description, enabled, maxInFlight: flags['max-in-flight']},
      this.now(),
    )
    this.log(`Updated ${describeEndpoint(webhook).replace(/^Webhook/, 'webhook')}`)
    return webhook
  }
}
