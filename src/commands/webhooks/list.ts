import {AttendCommand} from '../../base-command.js'
import {readSettings} from '../../settings/settings.js'
import {disabledNotes, webhooksTable} from '../../webhooks/render.js'
import {listWebhooks, type WebhookView} from '../../webhooks/service.js'

export default class WebhooksList extends AttendCommand {
  static override summary = 'List webhook endpoints: events, status, and their deliveries pending, failed and delivered.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<WebhookView[]> {
    const {flags} = await this.parse(WebhooksList)
    const store = this.store(flags.db)
    const webhooks = listWebhooks(store, this.now())
    if (this.jsonEnabled()) return webhooks
    if (webhooks.length === 0) {
      this.log('No webhooks. Add one with attend webhooks add URL --events attendance.created,…')
      return webhooks
    }
    this.log(webhooksTable(webhooks, readSettings(store).timezone))
    for (const note of disabledNotes(webhooks)) this.log(note)
    return webhooks
  }
}
