import {Args, Flags} from '@oclif/core'

import {AttendCommand} from '../../base-command.js'
import {formatLocal} from '../../devices/format.js'
import {DEFAULT_ROTATION_GRACE_MINUTES, rotateSecret, type WebhookView} from '../../webhooks/service.js'

export default class WebhooksRotateSecret extends AttendCommand {
  static override summary = 'Give a webhook a new signing secret (shown once); the old one keeps signing during a grace period.'
  static override description = `During the grace period every request carries two signatures (webhook-signature: "v1,<new> v1,<old>"), so the receiver can switch to the new secret whenever it is ready. Default grace: ${DEFAULT_ROTATION_GRACE_MINUTES / 60} hours; --grace 0 ends the old secret at once.`
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --grace 60']
  static override args = {
    id: Args.integer({description: 'Webhook id (see attend webhooks list).', required: true}),
  }

  static override flags = {
    grace: Flags.integer({description: 'Minutes the old secret still signs.', default: DEFAULT_ROTATION_GRACE_MINUTES}),
  }

  async run(): Promise<{webhook: WebhookView; secret: string; previousValidUntil: number}> {
    const {args, flags} = await this.parse(WebhooksRotateSecret)
    const store = this.attendStore(flags.db)
    const result = await rotateSecret(store, args.id, {graceMinutes: flags.grace}, this.now())
    const zone = (await store.siteSettings.read()).timezone
    this.log(`New signing secret for webhook ${result.webhook.id} (${result.webhook.url}); the previous one also signs until ${formatLocal(result.previousValidUntil, zone)} (${zone}).`)
    this.log('Signing secret (shown once):')
    this.log(`  ${result.secret}`)
    return result
  }
}
