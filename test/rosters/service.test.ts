import {beforeEach, expect, it} from 'vitest'

import {addRoster, assignRoster, listRosters, removeRoster, showRoster, updateRoster} from '../../src/rosters/service.js'
import {addShift, showShift} from '../../src/shifts/service.js'
import {at} from '../attendance/fixtures.js'
import {addEmployee, day, statuses} from '../helpers/engine-fixtures.js'
import {describeEngines} from '../helpers/engines.js'

const ZONE = 'UTC'
const NOW = at('2026-03-08 20:00', ZONE)

describeEngines(
  'rosters service',
  (engine) => {
    const open = () => engine().port
    beforeEach(async () => {
      await addShift(open(), 'Day', {start: '08:00', end: '17:00'}, NOW)
      await addShift(open(), 'Night', {start: '22:00', end: '06:00'}, NOW)
    })

    it('adds a cycle of shifts and days off, by shift name in any case', async () => {
      expect(await addRoster(open(), 'Rotation', {cycle: 'day, Day ,NIGHT,night,off,OFF'}, NOW)).toMatchObject({
        name: 'Rotation', cycle: ['Day', 'Day', 'Night', 'Night', 'off', 'off'], days: 6,
      })
      expect((await listRosters(open())).map((r) => r.name)).toEqual(['Rotation'])
    })

    it('names what is wrong with a cycle or a name', async () => {
      await expect(addRoster(open(), 'R', {cycle: 'Day,Evening'}, NOW)).rejects.toThrow('Unknown shift "Evening" on day 2 of --cycle: see attend shifts list (or write off for a rest day).')
      await expect(addRoster(open(), 'R', {cycle: 'off,off'}, NOW)).rejects.toThrow('--cycle has only days off: a roster needs at least one shift.')
      await expect(addRoster(open(), 'R', {cycle: 'Day,,Night'}, NOW)).rejects.toThrow('Invalid --cycle "Day,,Night"')
      await expect(addRoster(open(), 'R', {cycle: Array(367).fill('Day').join(',')}, NOW)).rejects.toThrow('--cycle has 367 days: a roster cycle lasts at most 366 days.')
      await expect(addRoster(open(), 'off', {cycle: 'Day'}, NOW)).rejects.toThrow('"off" is reserved (a rest day in a roster cycle): choose another roster name.')
      await expect(addRoster(open(), 'R', {}, NOW)).rejects.toThrow('A roster needs --cycle')
      await addRoster(open(), 'R', {cycle: 'Day'}, NOW)
      await expect(addRoster(open(), 'r', {cycle: 'Day'}, NOW)).rejects.toThrow('A roster named "r" already exists')
      await expect(assignRoster(open(), 'R', {employee: 'EMP001'}, NOW)).rejects.toThrow('A roster needs --from: the date its cycle starts (day 1).')
      await expect(showRoster(open(), 'Nope')).rejects.toThrow('Unknown roster "Nope": see attend rosters list.')
    })

    it('assigns from a date, recomputes on a new cycle, and removes its assignments with it', async () => {
      const alice = await addEmployee(engine(), 'EMP001')
      await addRoster(open(), 'Rotation', {cycle: 'Day,Night,off'}, NOW)
      const assigned = await assignRoster(open(), 'Rotation', {employee: 'EMP001', from: '2026-03-02'}, NOW)
      expect(assigned.assignment).toMatchObject({shift: null, roster: 'Rotation', employeeCode: 'EMP001', from: '2026-03-02', to: null})
      expect((await showRoster(open(), 'rotation')).assignments).toHaveLength(1)
      // The cycle decides the rest days: Sunday the 8th is a Day day, Wednesday the 4th a rest day.
      expect(await statuses(engine(), alice)).toMatchObject({'2026-03-04': 'weekly_off', '2026-03-07': 'weekly_off', '2026-03-08': 'absent'})
      expect((await day(engine(), alice, '2026-03-08'))?.shift_id).toBe((await showShift(open(), 'Day')).id)

      const change = await updateRoster(open(), 'Rotation', {cycle: 'Day,off', name: 'Two'}, NOW)
      expect(change.roster).toMatchObject({name: 'Two', days: 2})
      expect(change.recomputed?.changed).toBeGreaterThan(0)
      expect(await statuses(engine(), alice)).toMatchObject({'2026-03-03': 'weekly_off', '2026-03-04': 'absent'})

      const removal = await removeRoster(open(), 'two', NOW)
      expect(removal).toMatchObject({removed: 'Two', assignmentsRemoved: 1})
      // Back to no shift and the site's week off.
      expect(await day(engine(), alice, '2026-03-03')).toMatchObject({status: 'absent', shift_id: null})
      expect(await day(engine(), alice, '2026-03-07')).toMatchObject({status: 'weekly_off'})
    })
  },
  {timezone: ZONE, now: () => NOW},
)
