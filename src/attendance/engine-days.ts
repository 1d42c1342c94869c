import {parseClock} from '../shifts/parse.js'
import {shiftResolver} from '../shifts/resolve.js'
import {addDays, computeAttendance, type DayRecord, type EnginePunch, type LeaveSpan, type ManualDay} from './engine/index.js'
import type {EmployeeRow, Target} from './compute.js'
import type {SiteContext} from './site.js'

/** A stored manual day as read (clock times as text, `HH:MM`). */
export interface ManualDayRow {
  date: string
  status: ManualDay['status']
  checkIn: string | null
  checkOut: string | null
  note: string | null
}

/**
 * What the engine reads of one employee for a target, as either engine's store returns it: the
 * punches of `punchWindow(site, target)` in time order, the leaves overlapping the target and its
 * manual days.
 */
export interface EngineInputs {
  /** [instant, direction, device id] */
  punches: readonly (readonly [number, 'in' | 'out' | null, number | null])[]
  leaves: readonly LeaveSpan[]
  manualDays: readonly ManualDayRow[]
}

/**
 * The instants whose punches can reach a target's days: shift margins are at most 12 h, so two days
 * each side cover every instance that competes for a punch.
 */
export function punchWindow(site: SiteContext, target: {from: string; to: string}): {fromMs: number; toMs: number} {
  return {fromMs: site.clock.at(addDays(target.from, -2), 0), toMs: site.clock.at(addDays(target.to, 3), 0)}
}

/**
 * The day records of `target` for one employee as the engine computes them now, from loaded inputs:
 * the recompute stores them, and reports settle stale days with them without writing
 * (docs/architecture.md, "Reports"). Pure: the same inputs give the same days on either engine.
 */
export function engineDays(site: SiteContext, employee: EmployeeRow, inputs: EngineInputs, target: Target, now: number): DayRecord[] {
  const punches: EnginePunch[] = inputs.punches.map(([instant, direction, deviceId]) => ({
    instant,
    direction,
    deviceDirection: (deviceId !== null && site.deviceDirections.get(deviceId)) || 'auto',
  }))
  const records = computeAttendance(
    {
      zone: site.zone,
      now,
      from: target.from,
      to: target.to,
      punches,
      shiftOn: shiftResolver(employee, site.assignments, site.rules, site.defaultShift, site.rosters),
      calendar: {
        holidays: site.holidays,
        halfHolidays: site.halfHolidays,
        siteWeekOff: site.weekOff,
        leaves: [...inputs.leaves],
        joinedOn: employee.joinedOn,
        leftOn: employee.leftOn,
      },
      manualDays: manualDaysOf(inputs.manualDays),
    },
    site.clock,
  )
  return target.dates ? records.filter((record) => target.dates!.has(record.date)) : records
}

/** The manual days as the engine takes them (undefined when none, the usual case). */
function manualDaysOf(rows: readonly ManualDayRow[]): Map<string, ManualDay> | undefined {
  if (rows.length === 0) return undefined
  return new Map(
    rows.map((row) => [
      row.date,
      {
        status: row.status,
        checkIn: row.checkIn === null ? null : parseClock(row.checkIn, 'check_in'),
        checkOut: row.checkOut === null ? null : parseClock(row.checkOut, 'check_out'),
        note: row.note,
      },
    ]),
  )
}
