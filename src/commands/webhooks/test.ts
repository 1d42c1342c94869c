import {Args} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {httpSender} from '../../webhooks/sender.js'
import {testWebhook, type TestResult} from '../../webhooks/service.js'

export default class WebhooksTest extends AttendCommand {
  static override summary = 'Send a signed webhook.ping event to one endpoint now and print its answer.'
  static override description = 'Works on disabled endpoints too (check a receiver before re-enabling it). The attempt is logged like any other (attend webhooks deliveries); a failed test is not retried. Exits 1 when the endpoint did not answer 2xx.'
  static override examples = ['<%= config.bin %> <%= command.id %> 1']
  static override args = {
    id: Args.integer({description: 'Webhook id (see attend webhooks list).', required: true}),
  }

  async run(): Promise<TestResult> {
    const {args, flags} = await this.parse(WebhooksTest)
    const result = await testWebhook(this.attendStore(flags.db), args.id, {now: () => this.now(), send: httpSender(`attend/${this.config.version}`)})
    const answer = result.status === null ? `no answer: ${result.error}` : `HTTP ${result.status}`
    this.log(`Sent ${result.eventId} to ${result.url}: ${answer} in ${result.durationMs} ms (delivery ${result.deliveryId}).`)
    if (result.response) this.log(result.response)
    if (!result.delivered) process.exitCode = 1
    return result
  }
}
