import {AttendCommand} from '../../base-command.js'
import {pageFlags} from '../../cli/flags.js'
import {listed, pageOf, type Page} from '../../listing/page.js'
import {disabledNotes, webhooksTable} from '../../webhooks/render.js'
import {listWebhooks, type WebhookView} from '../../webhooks/service.js'

export default class WebhooksList extends AttendCommand {
  static override summary = 'List webhook endpoints: events, status, and their deliveries pending, failed and delivered.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override flags = pageFlags()

  async run(): Promise<Page & {webhooks: WebhookView[]}> {
    const {flags} = await this.parse(WebhooksList)
    const store = this.attendStore(flags.db)
    const page = pageOf(await listWebhooks(store, this.now()), flags)
    const result = listed('webhooks', page)
    if (this.jsonEnabled()) return result
    if (page.total === 0) {
      this.log('No webhooks. Add one with attend webhooks add URL --events attendance.created,…')
      return result
    }
    if (page.rows.length > 0) this.log(webhooksTable(page.rows, (await store.siteSettings.read()).timezone))
    for (const note of disabledNotes(page.rows)) this.log(note)
    this.logPage(page)
    return result
  }
}
