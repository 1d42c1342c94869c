import type {PunchChangeSet} from '../punches/events.js'
import {shiftResolver} from '../shifts/resolve.js'
import {parseClock} from '../shifts/parse.js'
import {addDays} from '../time/calendar.js'
import type {DayChange} from '../webhooks/payloads.js'
import {buildInstance, contains} from './engine/instances.js'
import {computeAttendance, type DayRecord, type EnginePunch, type LeaveSpan, type ManualDay} from './engine/index.js'
import type {SiteContext} from './site.js'

/**
 * The pure middle of a recompute (docs/architecture.md, "The store port"): each engine's adapter
 * loads an employee's punches, leaves, manual days and stored days, these functions say what the
 * days are now and what to write, and the adapter writes that difference.
 */

export interface EmployeeRow {
  id: number
  code: string
  name: string
  department: string | null
  joinedOn: string | null
  leftOn: string | null
}

/** What to recompute for one employee: a date range, optionally only some of its dates. */
export interface Target {
  from: string
  to: string
  dates?: Set<string>
}

/** A punch as the recompute loads it: instant, direction, device id. */
export type PunchTuple = [number, 'in' | 'out' | null, number | null]

export interface ManualRow {
  date: string
  status: ManualDay['status']
  checkIn: string | null
  checkOut: string | null
  note: string | null
}

/** What the engine needs of one employee beyond the site context, as loaded by an adapter. */
export interface EmployeeInputs {
  punches: readonly PunchTuple[]
  leaves: readonly LeaveSpan[]
  manualDays: readonly ManualRow[]
}

/**
 * The instants whose punches a target's days can claim, [from, to): shift margins are at most 12 h,
 * so two days each side cover every instance that competes for a punch.
 */
export function punchWindow(site: SiteContext, target: Target): [number, number] {
  return [site.clock.at(addDays(target.from, -2), 0), site.clock.at(addDays(target.to, 3), 0)]
}

/**
 * The day records of `target` for one employee as the engine computes them now, from loaded inputs:
 * the recompute stores them, and reports settle stale days with them without writing
 * (docs/architecture.md, "Reports"). Pure: the same inputs give the same days on either engine.
 */
export function computeEmployeeRecords(site: SiteContext, employee: EmployeeRow, target: Target, now: number, inputs: EmployeeInputs): DayRecord[] {
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
      manualDays: manualDaysFrom(inputs.manualDays),
    },
    site.clock,
  )
  return target.dates ? records.filter((record) => target.dates!.has(record.date)) : records
}

/** The employee's manual days as the engine takes them (undefined when none, the usual case). */
export function manualDaysFrom(rows: readonly ManualRow[]): Map<string, ManualDay> | undefined {
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

/** A stored day, as an adapter read it back: its row id and the record it holds. */
export interface StoredDayRecord {
  id: number
  record: DayRecord
}

/** What a recompute of one employee writes: the records to upsert, the rows to delete, and the changes to announce. */
export interface DayPlan {
  days: number
  upserts: DayRecord[]
  removals: StoredDayRecord[]
  changes: Omit<DayChange, 'employee'>[]
}

/**
 * The difference between the records computed now and the days stored for the target: a day
 * that is unchanged is not rewritten (so a second run changes nothing), a stored day the engine no
 * longer produces (before joining, after leaving) is removed.
 */
export function planDays(records: readonly DayRecord[], stored: ReadonlyMap<string, StoredDayRecord>, target: Target): DayPlan {
  const plan: DayPlan = {days: 0, upserts: [], removals: [], changes: []}
  const left = new Map(stored)
  for (const record of records) {
    plan.days++
    const before = left.get(record.date)
    left.delete(record.date)
    if (before && sameRecord(before.record, record)) continue
    plan.upserts.push(record)
    plan.changes.push({date: record.date, before: before ? before.record : null, after: record})
  }
  for (const stale of left.values()) {
    if (target.dates && !target.dates.has(stale.record.date)) continue
    plan.removals.push(stale)
    plan.changes.push({date: stale.record.date, before: stale.record, after: null})
  }
  return plan
}

const RECORD_FIELDS = [
  'status', 'shiftId', 'firstIn', 'lastOut', 'workedMinutes', 'lateMinutes', 'earlyMinutes', 'overtimeMinutes', 'late',
  'earlyDeparture', 'missedPunch', 'punchCount', 'workedOnHoliday', 'workedOnLeave', 'offDayMinutes', 'halfOff', 'manual', 'note',
] as const satisfies readonly (keyof DayRecord)[]

export function sameRecord(a: DayRecord, b: DayRecord): boolean {
  return RECORD_FIELDS.every((field) => a[field] === b[field])
}

/** (employee, date) pairs grouped into one target per employee. */
export function targetsOf(pairs: readonly {employeeId: number; date: string}[]): Map<number, Target> {
  const targets = new Map<number, Target>()
  for (const {employeeId, date} of pairs) {
    const target = targets.get(employeeId)
    if (!target) {
      targets.set(employeeId, {from: date, to: date, dates: new Set([date])})
    } else {
      target.dates!.add(date)
      if (date < target.from) target.from = date
      if (date > target.to) target.to = date
    }
  }
  return targets
}

/**
 * The days of employment in [from, to] with no final stored record (`known` holds
 * `employeeId|date` of the non-pending ones): what refreshing stale days computes. The engine makes
 * no day outside employment, so there is nothing to fill there.
 */
export function staleDayPairs(employees: readonly EmployeeRow[], known: ReadonlySet<string>, from: string, to: string): {employeeId: number; date: string}[] {
  const pairs: {employeeId: number; date: string}[] = []
  for (const employee of employees) {
    const first = employee.joinedOn && employee.joinedOn > from ? employee.joinedOn : from
    const last = employee.leftOn && employee.leftOn < to ? employee.leftOn : to
    for (let date = first; date <= last; date = addDays(date, 1)) {
      if (!known.has(`${employee.id}|${date}`)) pairs.push({employeeId: employee.id, date})
    }
  }
  return pairs
}

type ShiftOn = ReturnType<typeof shiftResolver>

/**
 * The attendance dates a punch can change: the dates whose shift instance (with its margins and
 * windows) contains it — its local date, or the day before for a night shift, or the day after for
 * an early start's margin. Recomputing only those, instead of all three days, is most of the cost
 * of a single-punch ingest.
 */
function owningDates(site: SiteContext, shiftOn: ShiftOn, instant: number): string[] {
  const date = site.clock.dateOf(instant)
  const dates = [addDays(date, -1), date, addDays(date, 1)].filter((day) => contains(buildInstance(site.clock, day, shiftOn(day)).span, instant))
  // A punch no instance wants changes no day's figures, but its own date is where an admin looks.
  return dates.length > 0 ? dates : [date]
}

/**
 * Every (employee, date) a change set's punches can belong to: for a stored or removed punch its
 * employee's, and after a reassignment also the days of the employee who lost it. `employeeOf`
 * gives the employee's department (their shift assignment may be by department), undefined for an
 * employee that does not exist.
 */
export function affectedDays(
  site: SiteContext,
  changes: PunchChangeSet,
  employeeOf: (id: number) => {id: number; department: string | null} | undefined,
): {employeeId: number; date: string}[] {
  const resolvers = new Map<number, ShiftOn | null>()
  const resolverFor = (employeeId: number) => {
    if (!resolvers.has(employeeId)) {
      const employee = employeeOf(employeeId)
      resolvers.set(employeeId, employee ? shiftResolver(employee, site.assignments, site.rules, site.defaultShift, site.rosters) : null)
    }
    return resolvers.get(employeeId)!
  }
  const seen = new Set<string>()
  const pairs: {employeeId: number; date: string}[] = []
  const add = (employeeId: number | null | undefined, instant: number) => {
    if (employeeId === null || employeeId === undefined) return
    const shiftOn = resolverFor(employeeId)
    if (!shiftOn) return
    for (const date of owningDates(site, shiftOn, instant)) {
      const key = `${employeeId}|${date}`
      if (seen.has(key)) continue
      seen.add(key)
      pairs.push({employeeId, date})
    }
  }
  for (const punch of changes.stored) add(punch.employeeId, punch.instant)
  for (const punch of changes.removed) add(punch.employeeId, punch.instant)
  for (const punch of changes.reassigned) {
    add(punch.employeeId, punch.instant)
    if (punch.previousEmployeeId !== punch.employeeId) add(punch.previousEmployeeId, punch.instant)
  }
  return pairs
}

/** The employee ids of a change set, for the ones `affectedDays` needs looked up. */
export function changedEmployeeIds(changes: PunchChangeSet): number[] {
  const ids = new Set<number>()
  for (const punch of [...changes.stored, ...changes.removed]) if (punch.employeeId !== null && punch.employeeId !== undefined) ids.add(punch.employeeId)
  for (const punch of changes.reassigned) {
    if (punch.employeeId !== null && punch.employeeId !== undefined) ids.add(punch.employeeId)
    if (punch.previousEmployeeId !== null) ids.add(punch.previousEmployeeId)
  }
  return [...ids]
}
