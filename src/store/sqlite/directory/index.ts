import type {Store} from '../../../db/open.js'
import type {Writes} from '../writes.js'
import type {Directory} from '../../directory.js'
import {authenticateApiKey, createApiKey, listApiKeys, revokeApiKey, touchApiKey} from './api-keys.js'
import {deviceUserName, listDeviceUsers, removeDeviceUsers, upsertDeviceUsers} from './device-users.js'
import {
  createEmployee,
  deactivateEmployee,
  findEmployeeByCode,
  getEmployee,
  importEmployees,
  listDepartments,
  listEmployees,
  updateEmployee,
} from './employees.js'
import {addHoliday, importHolidays, listHolidays, removeHoliday} from './holidays.js'
import {addLeave, listLeaves, removeLeave} from './leaves.js'
import {addMapping, autoMap, importMappings, listMappings, listUnmapped, removeMapping} from './mappings.js'
import {applySynchronous, isInitialized, shiftName, writeSiteSettings} from './settings.js'

/**
 * The directory on SQLite: the synchronous functions of this folder, reads at once on the
 * connection, writes through `writes` (the server's group commit, or the CLI's own), each in its
 * own savepoint of the group's transaction, with their re-resolution, recompute and outbox rows.
 */
export function sqliteDirectory(store: Store, writes: Writes): Directory {
  const write = <T>(work: () => T) => writes.run(() => work())
  return {
    findEmployee: async (code) => findEmployeeByCode(store, code),
    getEmployee: async (id) => getEmployee(store, id),
    listEmployees: async (filter) => listEmployees(store, filter),
    listDepartments: async () => listDepartments(store),
    createEmployee: (input, now) => write(() => createEmployee(store, input, now)),
    updateEmployee: (code, changes, now) => write(() => updateEmployee(store, code, changes, now)),
    deactivateEmployee: (code, leftOn, now) => write(() => deactivateEmployee(store, code, leftOn, now)),
    importEmployees: (rows, now) => write(() => importEmployees(store, rows, now)),

    listMappings: async (options) => listMappings(store, options),
    listUnmapped: async (options) => listUnmapped(store, options),
    addMapping: (input, now) => write(() => addMapping(store, input, now)),
    removeMapping: (input, now) => write(() => removeMapping(store, input, now)),
    autoMap: (now) => write(() => autoMap(store, now)),
    importMappings: (rows, now) => write(() => importMappings(store, rows, now)),

    upsertDeviceUsers: (deviceId, users, now) => write(() => upsertDeviceUsers(store, deviceId, users, now)),
    removeDeviceUsers: (deviceId, ids) => write(() => removeDeviceUsers(store, deviceId, ids)),
    listDeviceUsers: async (filter) => listDeviceUsers(store, filter),
    deviceUserName: async (deviceUserId, deviceId) => deviceUserName(store, deviceUserId, deviceId),

    addHoliday: (holiday, now) => write(() => addHoliday(store, holiday, now)),
    listHolidays: async (year) => listHolidays(store, year),
    removeHoliday: (date, now) => write(() => removeHoliday(store, date, now)),
    importHolidays: (rows, now) => write(() => importHolidays(store, rows, now)),

    addLeave: (code, leave, now) => write(() => addLeave(store, code, leave, now)),
    listLeaves: async (filter) => listLeaves(store, filter),
    removeLeave: (id, now) => write(() => removeLeave(store, id, now)),

    isInitialized: async () => isInitialized(store),
    async writeSettings(settingsWrite, now) {
      const result = await write(() => writeSiteSettings(store, settingsWrite, now))
      applySynchronous(store, settingsWrite.values.synchronous)
      return result
    },
    shiftName: async (name) => shiftName(store, name),

    createApiKey: (input, now) => write(() => createApiKey(store, input, now)),
    authenticateApiKey: async (presented) => authenticateApiKey(store, presented),
    touchApiKey: (id, now) => write(() => touchApiKey(store, id, now)),
    listApiKeys: async (options) => listApiKeys(store, options),
    revokeApiKey: (nameOrPrefix, now) => write(() => revokeApiKey(store, nameOrPrefix, now)),
  }
}
