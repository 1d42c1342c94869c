import type {PgDatabase} from '../../../db/pg/open.js'
import type {SiteSettings} from '../../../settings/settings.js'
import type {Directory} from '../../directory.js'
import {publishReassigned, recomputeChange} from '../attendance.js'
import {pgApiKeys} from './api-keys.js'
import {pgCalendar} from './calendar.js'
import {pgEmployees} from './employees.js'
import {pgMappings} from './mappings.js'
import {pgSettings} from './settings.js'

/** The directory on PostgreSQL: each method one transaction on a pooled connection (see each part). */
export function pgDirectory(database: PgDatabase, settings: () => Promise<SiteSettings>): Directory {
  const recompute = recomputeChange(database, settings)
  const publish = publishReassigned(database, settings)
  return {...pgEmployees(database, recompute, publish), ...pgMappings(database, publish), ...pgCalendar(database, recompute), ...pgSettings(database, recompute), ...pgApiKeys(database)}
}
