import net from 'node:net'
import path from 'node:path'

import {openStore, type Store} from '../../../src/db/open.js'
import {createDevice} from '../../../src/store/sqlite/devices.js'
import {createEmployee} from '../../../src/store/sqlite/directory/employees.js'
import {createApiKey} from '../../../src/store/sqlite/directory/api-keys.js'
import {addLeave} from '../../helpers/directory.js'
import {writeSettings} from '../../../src/store/sqlite/directory/settings.js'
import {assignShift} from '../../../src/store/sqlite/schedules/assign.js'
import {addShift} from '../../../src/store/sqlite/schedules/shifts.js'
import {LocalClock} from '../../../src/time/local-clock.js'
import {runAttend} from '../../helpers/cli.js'
import {postJson} from '../helpers.js'

/**
 * A fixed-offset zone in which `now` is between 13:00 and 14:00: the morning shift is over (its
 * people are present, late or absent), the day shift is running (pending, and in), the evening
 * shift is not due yet — whatever time of day the test runs.
 */
export function middayZone(now: number): string {
  const offset = 13 - new Date(now).getUTCHours()
  if (offset === 0) return 'UTC'
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`
}

/** The XSS probe: a name that would run script if any part of the page wrote it as markup. */
export const SCRIPT_NAME = '<img src=x onerror=alert(1)>'
export const SCRIPT_DEPARTMENT = '<b>Ops</b>'

export interface Site {
  file: string
  zone: string
  /** Today in the site zone. */
  today: string
  readKey: string
  ingestKey: string
  gateToken: string
  /** `YYYY-MM-DD HH:MM:SS` site time on today's date. */
  at(time: string): string
}

/** A port nothing listens on: the agent-mode device's pulls fail there ("connection refused"). */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * A small school: three shifts, seven people (one named like markup), a leave, two push terminals
 * and an agent-mode one, keys with and without `read`. Written to `dir/attend.db` the way the
 * commands would, before `attend serve` starts.
 */
export async function buildSite(dir: string, now = Date.now()): Promise<Site> {
  const file = path.join(dir, 'attend.db')
  const zone = middayZone(now)
  const clock = LocalClock.for(zone)
  const today = clock.dateOf(now)
  const store: Store = openStore(file)
  const open = () => store
  try {
    writeSettings(store, {timezone: zone, weekOff: [], reportTitle: 'Riverside Primary School'}, now)
    addShift(open, 'Early', {start: '05:00', end: '09:00'}, now)
    addShift(open, 'Day', {start: '09:00', end: '17:00'}, now)
    addShift(open, 'Evening', {start: '18:00', end: '22:00'}, now)
    const people: [string, string, string, string][] = [
      ['E001', 'Alice Mwangi', 'Teaching', 'Early'],
      ['E002', 'Bob Otieno', 'Teaching', 'Early'],
      ['E003', 'Carol Njeri', 'Admin', 'Early'],
      ['E004', 'Dan Kamau', 'Admin', 'Early'],
      ['E005', 'Eve Wanjiru', 'Admin', 'Evening'],
      ['E006', 'Frank Ouma', 'Teaching', 'Day'],
      ['E007', SCRIPT_NAME, SCRIPT_DEPARTMENT, 'Day'],
    ]
    for (const [code, name, department, shift] of people) {
      createEmployee(store, {code, name, department, joinedOn: '2020-01-01'}, now)
      assignShift(open, shift, {employee: code}, now)
    }
    addLeave(open(), 'E004', {from: today, to: today, type: 'sick'}, now)
    const gate = createDevice(store, {serial: 'GATE-1', name: 'Front gate', location: 'Main entrance', mode: 'push'}, now)
    createDevice(store, {serial: 'BACK-2', name: 'Back door', mode: 'push'}, now)
    createDevice(store, {serial: 'STAFF-3', name: 'Staff room', mode: 'agent', ip: '127.0.0.1', port: await closedPort(), protocol: 'tcp'}, now)
    const readKey = createApiKey(store, {name: 'wall-screen', scopes: ['read']}, now).key
    const ingestKey = createApiKey(store, {name: 'gate-sync', scopes: ['ingest']}, now).key
    return {file, zone, today, readKey, ingestKey, gateToken: gate.token, at: (time) => `${today} ${time}`}
  } finally {
    store.close()
  }
}

/**
 * The morning at the gate, through the real APIs of a running server: punches over push-log (one
 * from a device user nobody mapped), a knock from an unregistered ZKTeco terminal, and a failed
 * pull of the agent-mode device.
 */
export async function morningTraffic(site: Site, url: string): Promise<void> {
  const logs = [
    ['E001', '05:00:00'], ['E001', '09:05:00'],
    ['E002', '05:20:00'], ['E002', '09:00:00'],
    ['E006', '08:55:00'],
    ['E007', '09:10:00'],
    ['9999', '10:00:00'],
  ].map(([user, time]) => ({user_id: user, timestamp: site.at(time)}))
  const pushed = await postJson(`${url}/api/v1/biometric/push-log`, {logs}, {authorization: `Bearer ${site.gateToken}`})
  if (pushed.status !== 200 || pushed.body.stored !== logs.length) throw new Error(`push-log: ${pushed.status} ${pushed.text}`)
  const refused = await fetch(`${url}/iclock/cdata?SN=GHOST-99&options=all`)
  if (refused.status !== 401) throw new Error(`an unknown serial was not refused: ${refused.status}`)
  await runAttend(['pull', '--db', site.file, '--device', 'STAFF-3', '--timeout', '1'])
}

const SHIFT_HOURS: Record<string, [number, number]> = {E001: [5, 9], E002: [5, 9], E003: [5, 9], E004: [5, 9], E005: [18, 22], E006: [9, 17], E007: [9, 17]}

/**
 * The month so far (the 1st to yesterday) at the gate, for the chart: most people on time, some
 * late, an absence now and then — deterministic, so the picture is the same on every run.
 */
export async function monthHistory(site: Site, url: string): Promise<void> {
  const logs: {user_id: string; timestamp: string}[] = []
  const first = Number(site.today.slice(8, 10))
  let seed = 7
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647
  for (let day = 1; day < first; day++) {
    const date = `${site.today.slice(0, 8)}${String(day).padStart(2, '0')}`
    for (const [code, [start, end]] of Object.entries(SHIFT_HOURS)) {
      const roll = next()
      if (roll < 0.08) continue
      const inMinute = roll < 0.16 ? 25 : Math.floor(next() * 10)
      const pad = (n: number) => String(n).padStart(2, '0')
      logs.push({user_id: code, timestamp: `${date} ${pad(start - (inMinute < 10 ? 1 : 0))}:${pad(inMinute < 10 ? 50 + inMinute : inMinute)}:00`})
      logs.push({user_id: code, timestamp: `${date} ${pad(end)}:${pad(Math.floor(next() * 20))}:00`})
    }
  }
  if (logs.length === 0) return
  const pushed = await postJson(`${url}/api/v1/biometric/push-log`, {logs}, {authorization: `Bearer ${site.gateToken}`})
  if (pushed.status !== 200) throw new Error(`push-log: ${pushed.status} ${pushed.text}`)
}
