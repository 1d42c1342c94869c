import type {SiteSettings} from '../settings/settings.js'

/** The site's settings (`attend config`), read through the store port (docs/architecture.md, "The store port"). */
export interface SiteSettingsSection {
  read(): Promise<Readonly<SiteSettings>>
}
