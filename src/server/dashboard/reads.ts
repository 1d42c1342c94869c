/**
 * Everything the status page reads, through the store port (either engine), and the only place in
 * src/server/dashboard that does. They run on the report thread's own connection
 * (docs/architecture.md, "Status page"): the attendance figures come from the report kinds
 * themselves; devices, shifts and the live punch feed from the port's dashboard section.
 */
import {buildReport} from '../../reports/build.js'
import type {DailyReport} from '../../reports/models/daily.js'
import type {RegisterReport} from '../../reports/models/register.js'
import type {AttendStore} from '../../store/port.js'

export type {ArrivedPunch, DeviceRead} from '../../store/dashboard.js'

/** `attend report daily --date DATE` for everyone: the same model, the same numbers. */
export async function readDaily(store: AttendStore, date: string, now: number): Promise<DailyReport> {
  return (await buildReport(store, {kind: 'daily', from: date, to: date, employee: null, department: null, generatedAt: null}, now)).model
}

/** `attend report register --from FROM --to TO` for everyone. */
export async function readRegister(store: AttendStore, from: string, to: string, now: number): Promise<RegisterReport> {
  return (await buildReport(store, {kind: 'register', from, to, employee: null, department: null, generatedAt: null}, now)).model
}
