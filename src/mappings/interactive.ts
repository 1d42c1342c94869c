import {findEmployeeByCode, searchEmployees, type Employee} from '../employees/service.js'
import {matchKey} from './auto.js'
import {addMapping, listUnmapped, type UnmappedUser} from './service.js'
import type {AttendStore} from '../store/port.js'

export type PickChoice = {kind: 'employee'; code: string} | {kind: 'skip'} | {kind: 'stop'}

export interface SearchChoice<V> {
  name: string
  value: V
  description?: string
}

/**
 * The shape of @inquirer/prompts' `search`, so the command passes the real prompt and tests pass
 * one rendered by @inquirer/testing.
 */
export type SearchPrompt = <V>(config: {
  message: string
  source: (term: string | undefined, opt: {signal: AbortSignal}) => Promise<readonly SearchChoice<V>[]>
  pageSize?: number
}) => Promise<V>

export interface InteractiveMapResult {
  mapped: {deviceUserId: string; employeeCode: string; employeeName: string; reresolved: number}[]
  skipped: string[]
  /** The admin chose to stop before the end of the list. */
  stopped: boolean
}

function employeeChoice(employee: Employee): SearchChoice<PickChoice> {
  const details = [employee.department, employee.active ? null : 'inactive'].filter(Boolean).join(', ')
  return {name: `${employee.code}  ${employee.name}${details ? `  (${details})` : ''}`, value: {kind: 'employee', code: employee.code}}
}

const skip: SearchChoice<PickChoice> = {name: 'Skip this device user', value: {kind: 'skip'}}
const stop: SearchChoice<PickChoice> = {name: 'Stop (keep the mappings made so far)', value: {kind: 'stop'}}

/** Likely matches before the admin types anything: the same code, or the name the device enrolled. */
async function suggestions(store: AttendStore, user: UnmappedUser): Promise<Employee[]> {
  const found = new Map<number, Employee>()
  const sameCode = await findEmployeeByCode(store, user.deviceUserId)
  if (sameCode) found.set(sameCode.id, sameCode)
  for (const e of await searchEmployees(store, user.deviceUserId.replace(/^0+(?=.)/, ''), 50)) {
    if (matchKey(e.code) === matchKey(user.deviceUserId)) found.set(e.id, e)
  }
  if (user.name) for (const e of await searchEmployees(store, user.name, 5)) found.set(e.id, e)
  return [...found.values()]
}

export function describeUnmapped(user: UnmappedUser): string {
  const who = user.name ? ` (${user.name} on the device)` : ''
  const plural = user.punches === 1 ? 'punch' : 'punches'
  return `Device user ${user.deviceUserId}${who} from ${user.deviceKey}: ${user.punches} ${plural}, last ${user.lastPunchLocal}`
}

/**
 * `map add` on a terminal with no arguments: walks through the unmapped device users, most punches
 * first, and lets the admin search employees by name or code and pick one (a mapping for all
 * devices, like `map add` without --device), skip, or stop. Each pick is committed at once.
 */
export async function mapInteractively(
  store: AttendStore,
  prompts: {search: SearchPrompt},
  now: number,
  log: (line: string) => void = () => {},
): Promise<InteractiveMapResult> {
  const result: InteractiveMapResult = {mapped: [], skipped: [], stopped: false}
  const queue = await listUnmapped(store)
  if (queue.length === 0) {
    log('Every device user seen in punches is mapped.')
    return result
  }
  const done = new Set<string>()
  for (const user of queue) {
    // A mapping for all devices made earlier in this walk already covers this id on other devices.
    if (done.has(user.deviceUserId)) continue
    log(describeUnmapped(user))
    const choice = await prompts.search<PickChoice>({
      message: `Employee for device user ${user.deviceUserId} (type a name or code)`,
      pageSize: 10,
      source: async (term) => {
        const text = term?.trim() ?? ''
        const employees = text ? await searchEmployees(store, text, 20) : await suggestions(store, user)
        return [...employees.map(employeeChoice), skip, stop]
      },
    })
    if (choice.kind === 'stop') {
      result.stopped = true
      break
    }
    if (choice.kind === 'skip') {
      result.skipped.push(user.deviceUserId)
      continue
    }
    const {mapping, reresolved} = await addMapping(store, {deviceUserId: user.deviceUserId, employeeCode: choice.code}, now)
    done.add(user.deviceUserId)
    result.mapped.push({deviceUserId: user.deviceUserId, employeeCode: mapping.employeeCode, employeeName: mapping.employeeName, reresolved})
    log(`Mapped ${user.deviceUserId} → ${mapping.employeeCode} ${mapping.employeeName} (${reresolved} punches moved).`)
  }
  return result
}
