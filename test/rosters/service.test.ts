import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {addRoster, assignRoster, listRosters, removeRoster, showRoster, updateRoster} from '../../src/store/sqlite/schedules/rosters.js'
import {addShift} from '../../src/store/sqlite/schedules/shifts.js'
import {addEmployee, at, day, statuses} from '../attendance/fixtures.js'
import {testStore} from '../helpers/store.js'

const ZONE = 'UTC'
const NOW = at('2026-03-08 20:00', ZONE)
let store: ReturnType<typeof testStore>
const open = () => store
beforeEach(() => {
  store = testStore({timezone: ZONE})
  addShift(open, 'Day', {start: '08:00', end: '17:00'}, NOW)
  addShift(open, 'Night', {start: '22:00', end: '06:00'}, NOW)
})
afterEach(() => store.cleanup())

describe('rosters service', () => {
  it('adds a cycle of shifts and days off, by shift name in any case', () => {
    expect(addRoster(open, 'Rotation', {cycle: 'day, Day ,NIGHT,night,off,OFF'}, NOW)).toMatchObject({
      name: 'Rotation', cycle: ['Day', 'Day', 'Night', 'Night', 'off', 'off'], days: 6,
    })
    expect(listRosters(open).map((r) => r.name)).toEqual(['Rotation'])
  })

  it('names what is wrong with a cycle or a name', () => {
    expect(() => addRoster(open, 'R', {cycle: 'Day,Evening'}, NOW)).toThrow('Unknown shift "Evening" on day 2 of --cycle: see attend shifts list (or write off for a rest day).')
    expect(() => addRoster(open, 'R', {cycle: 'off,off'}, NOW)).toThrow('--cycle has only days off: a roster needs at least one shift.')
    expect(() => addRoster(open, 'R', {cycle: 'Day,,Night'}, NOW)).toThrow('Invalid --cycle "Day,,Night"')
    expect(() => addRoster(open, 'R', {cycle: Array(367).fill('Day').join(',')}, NOW)).toThrow('--cycle has 367 days: a roster cycle lasts at most 366 days.')
    expect(() => addRoster(open, 'off', {cycle: 'Day'}, NOW)).toThrow('"off" is reserved (a rest day in a roster cycle): choose another roster name.')
    expect(() => addRoster(open, 'R', {}, NOW)).toThrow('A roster needs --cycle')
    addRoster(open, 'R', {cycle: 'Day'}, NOW)
    expect(() => addRoster(open, 'r', {cycle: 'Day'}, NOW)).toThrow('A roster named "r" already exists')
    expect(() => assignRoster(open, 'R', {employee: 'EMP001'}, NOW)).toThrow('A roster needs --from: the date its cycle starts (day 1).')
    expect(() => showRoster(open, 'Nope')).toThrow('Unknown roster "Nope": see attend rosters list.')
  })

  it('assigns from a date, recomputes on a new cycle, and removes its assignments with it', () => {
    const alice = addEmployee(store, 'EMP001')
    addRoster(open, 'Rotation', {cycle: 'Day,Night,off'}, NOW)
    const assigned = assignRoster(open, 'Rotation', {employee: 'EMP001', from: '2026-03-02'}, NOW)
    expect(assigned.assignment).toMatchObject({shift: null, roster: 'Rotation', employeeCode: 'EMP001', from: '2026-03-02', to: null})
    expect(showRoster(open, 'rotation').assignments).toHaveLength(1)
    // The cycle decides the rest days: Sunday the 8th is a Day day, Wednesday the 4th a rest day.
    expect(statuses(store, alice)).toMatchObject({'2026-03-04': 'weekly_off', '2026-03-07': 'weekly_off', '2026-03-08': 'absent'})
    expect(day(store, alice, '2026-03-08')?.shift_id).toBe(1)

    const change = updateRoster(open, 'Rotation', {cycle: 'Day,off', name: 'Two'}, NOW)
    expect(change.roster).toMatchObject({name: 'Two', days: 2})
    expect(change.recomputed?.changed).toBeGreaterThan(0)
    expect(statuses(store, alice)).toMatchObject({'2026-03-03': 'weekly_off', '2026-03-04': 'absent'})

    const removal = removeRoster(open, 'two', NOW)
    expect(removal).toMatchObject({removed: 'Two', assignmentsRemoved: 1})
    // Back to no shift and the site's week off.
    expect(day(store, alice, '2026-03-03')).toMatchObject({status: 'absent', shift_id: null})
    expect(day(store, alice, '2026-03-07')).toMatchObject({status: 'weekly_off'})
  })
})
