import type {PgDatabase} from '../../../db/pg/open.js'
import type {Directory} from '../../directory.js'
import {pgApiKeys} from './api-keys.js'
import {pgCalendar} from './calendar.js'
import {pgEmployees} from './employees.js'
import {pgMappings} from './mappings.js'
import {pgSettings} from './settings.js'

/** The directory on PostgreSQL: each method one transaction on a pooled connection (see each part). */
export function pgDirectory(database: PgDatabase): Directory {
  return {...pgEmployees(database), ...pgMappings(database), ...pgCalendar(database), ...pgSettings(database), ...pgApiKeys(database)}
}
