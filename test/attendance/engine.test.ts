import {DateTime} from 'luxon'
import {describe, expect, it} from 'vitest'

import {computeAttendance, type DayRecord, type EnginePunch, type ManualDay, type PlannedShift, type ShiftRule} from '../../src/attendance/engine/index.js'
import {parseClock} from '../../src/shifts/parse.js'
import {shiftResolver} from '../../src/shifts/resolve.js'
import {DAY, scenarios, shiftRule as rule, type ExpectedDay, type Scenario, type ShiftSpec} from './scenarios.js'

const DEFAULT_ZONE = 'Asia/Kolkata'
const FAR_FUTURE = '2027-01-01 00:00'

const LOCAL_RE = /^(?:(\d{4}-\d{2}-\d{2}) )?(\d{2}:\d{2}(?::\d{2})?)([+-]\d{2}:\d{2})?$/

function instantOf(text: string, baseDate: string, zone: string): number {
  const match = LOCAL_RE.exec(text)
  if (!match) throw new Error(`Bad time in scenario: ${text}`)
  const [, date = baseDate, time, offset] = match
  const iso = `${date}T${time.length === 5 ? `${time}:00` : time}${offset ?? ''}`
  const parsed = offset ? DateTime.fromISO(iso, {setZone: true}) : DateTime.fromISO(iso, {zone})
  if (!parsed.isValid) throw new Error(`Bad time in scenario: ${text}`)
  return parsed.toMillis()
}

function punchOf(text: string, baseDate: string, zone: string): EnginePunch {
  const [time, ...tags] = text.split(' ').reduce<string[]>((parts, token, i, all) => {
    // A leading date and its time are one token.
    if (i === 1 && /^\d{4}-/.test(all[0])) parts[0] = `${parts[0]} ${token}`
    else parts.push(token)
    return parts
  }, [])
  const punch: EnginePunch = {instant: instantOf(time, baseDate, zone), direction: null, deviceDirection: 'auto'}
  for (const tag of tags) {
    if (tag === 'in' || tag === 'out') punch.direction = tag
    else if (tag === '@in' || tag === '@out') punch.deviceDirection = tag.slice(1) as 'in' | 'out'
    else throw new Error(`Bad punch tag in scenario: ${text}`)
  }
  return punch
}

/** Local rendering of a record instant, in the shorthand the scenarios use. */
function local(instant: number | null, recordDate: string, zone: string): string | null {
  if (instant === null) return null
  const dt = DateTime.fromMillis(instant, {zone})
  const time = dt.second === 0 ? dt.toFormat('HH:mm') : dt.toFormat('HH:mm:ss')
  return dt.toISODate() === recordDate ? time : `${dt.toISODate()} ${time}`
}

function view(record: DayRecord, zone: string): Required<ExpectedDay> {
  return {
    date: record.date,
    status: record.status,
    in: local(record.firstIn, record.date, zone),
    out: local(record.lastOut, record.date, zone),
    worked: record.workedMinutes,
    late: record.late,
    lateMin: record.lateMinutes,
    early: record.earlyDeparture,
    earlyMin: record.earlyMinutes,
    overtime: record.overtimeMinutes,
    missed: record.missedPunch,
    count: record.punchCount,
    shiftId: record.shiftId,
    onHoliday: record.workedOnHoliday,
    onLeave: record.workedOnLeave,
    offDay: record.offDayMinutes,
    halfOff: record.halfOff,
    manual: record.manual,
    note: record.note,
  }
}

/**
 * The scenario's schedule: `shiftsByDate` over a roster over `shift`. A roster goes through the
 * real (pure) shift resolver, its shifts numbered from 100 when they have no id.
 */
function scheduleOf(scenario: Scenario): (date: string) => PlannedShift {
  const base = scenario.shift === undefined ? rule(DAY) : scenario.shift && rule(scenario.shift)
  const byDate = Object.fromEntries(Object.entries(scenario.shiftsByDate ?? {}).map(([d, s]) => [d, s === 'rest' || s === null ? s : rule(s)]))
  let rostered: ((date: string) => PlannedShift) | null = null
  if (scenario.roster) {
    const rules = new Map<number, ShiftRule>()
    const cycle = scenario.roster.cycle.map((spec: ShiftSpec | null, i) => {
      if (!spec) return null
      const shift = rule({...spec, id: 100 + i})
      rules.set(shift.id!, shift)
      return shift.id
    })
    const assignment = {id: 1, shiftId: null, rosterId: 1, employeeId: 1, department: null, fromDate: scenario.roster.from, toDate: scenario.roster.to ?? null}
    rostered = shiftResolver({id: 1, department: null}, [assignment], rules, base, new Map([[1, cycle]]))
  }
  return (date) => (date in byDate ? byDate[date] : rostered ? rostered(date) : base)
}

function manualDaysOf(scenario: Scenario): Map<string, ManualDay> | undefined {
  if (!scenario.manual) return undefined
  return new Map(
    Object.entries(scenario.manual).map(([date, m]) => [
      date,
      {status: m.status, checkIn: m.in ? parseClock(m.in, 'in') : null, checkOut: m.out ? parseClock(m.out, 'out') : null, note: m.note ?? null},
    ]),
  )
}

function run(scenario: Scenario): DayRecord[] {
  const zone = scenario.zone ?? DEFAULT_ZONE
  const to = scenario.to ?? scenario.from
  return computeAttendance({
    zone,
    now: instantOf(scenario.now ?? FAR_FUTURE, scenario.from, zone),
    from: scenario.from,
    to,
    punches: scenario.punches.map((p) => punchOf(p, scenario.from, zone)),
    shiftOn: scheduleOf(scenario),
    calendar: {
      holidays: new Set(scenario.holidays ?? []),
      halfHolidays: new Map(Object.entries(scenario.halfHolidays ?? {})),
      siteWeekOff: scenario.weekOff ?? ['sat', 'sun'],
      leaves: (scenario.leaves ?? []).map((l) => ({from: l.from, to: l.to, type: l.type ?? null, half: l.half ?? null})),
      joinedOn: scenario.joinedOn ?? null,
      leftOn: scenario.leftOn ?? null,
    },
    manualDays: manualDaysOf(scenario),
  })
}

describe('attendance engine', () => {
  it('has at least 40 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40)
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length)
  })

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const zone = scenario.zone ?? DEFAULT_ZONE
    const records = run(scenario)
    const expected = scenario.expect.map((e) => ({date: scenario.from, ...e}))
    expect(records.map((r) => r.date)).toEqual(expected.map((e) => e.date))
    records.forEach((record, i) => expect(view(record, zone)).toMatchObject(expected[i]))
  })

  it('gives the same records whatever order the punches come in', () => {
    const scenario = scenarios.find((s) => s.name.startsWith('night 23:00-01:00'))!
    const forward = run(scenario)
    const backward = run({...scenario, punches: [...scenario.punches].reverse()})
    expect(backward).toEqual(forward)
  })
})
