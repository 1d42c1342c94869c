import type {StoreLocation} from '../db/location.js'
import type {AgentPulls} from './agent-pulls.js'
import type {AttendanceSection} from './attendance.js'
import type {DevicePresence} from './device-presence.js'
import type {RateLimits} from './limits.js'
import type {StoreServing} from './serving.js'
import type {Directory} from './directory.js'
import type {DevicesSection} from './devices.js'
import type {SchedulesSection} from './schedules.js'
import type {ImportsSection} from './imports.js'
import type {PunchesSection} from './punches.js'
import type {DashboardSection} from './dashboard.js'
import type {ReportsSection} from './reports.js'
import type {StoreRevisions} from './revisions.js'
import type {SiteSettingsSection} from './site-settings.js'
import type {WebhookQueue} from './webhook-queue.js'
import type {WebhooksSection} from './webhooks.js'

/**
 * The asynchronous store port (docs/architecture.md, "The store port"): the sections converted so
 * far, on either engine. A command or service written against it runs on SQLite and PostgreSQL
 * alike; sections join as they are converted.
 */
export interface AttendStore {
  readonly engine: StoreLocation['engine']
  /** Where the store is: what a report thread opens its own connection to. */
  readonly location: StoreLocation
  readonly revisions: StoreRevisions
  readonly siteSettings: SiteSettingsSection
  readonly webhookQueue: WebhookQueue
  readonly webhooks: WebhooksSection
  readonly devicePresence: DevicePresence
  readonly agentPulls: AgentPulls
  readonly limits: RateLimits
  readonly serving: StoreServing
  readonly directory: Directory
  readonly devices: DevicesSection
  readonly schedules: SchedulesSection
  readonly punches: PunchesSection
  readonly attendance: AttendanceSection
  readonly imports: ImportsSection
  readonly reports: ReportsSection
  readonly dashboard: DashboardSection
  /** Ends what the port opened (PostgreSQL's pool); a SQLite store is closed by whoever opened it. */
  close(): Promise<void>
}
