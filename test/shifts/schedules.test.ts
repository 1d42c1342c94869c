import {expect, it} from 'vitest'

import {addRoster, assignRoster, listRosters, removeRoster, showRoster, updateRoster} from '../../src/rosters/service.js'
import {assignShift} from '../../src/shifts/assign.js'
import {endAssignment, listAssignments} from '../../src/shifts/assignments.js'
import {addShift, listShifts, removeShift, showShift, updateShift} from '../../src/shifts/service.js'
import {ConflictError, NotFoundError, UsageError} from '../../src/errors.js'
import {lazyAttendStore} from '../../src/store/lazy.js'
import {describeEngines} from '../helpers/engines.js'

const NOW = Date.UTC(2026, 2, 6, 20)

const EMPLOYEES = `INSERT INTO employees (id, code, name, department, created_at, updated_at) VALUES
  (1, 'EMP001', 'Alice', 'Kitchen', 1, 1), (2, 'EMP002', 'Bob', 'Kitchen', 1, 1), (3, 'EMP003', 'Chen', NULL, 1, 1)`

/** The schedule services on the store port, the same on both engines. */
describeEngines('schedules', (store) => {
  const port = () => store().port

  it('adds, lists and shows shifts; names are unique whatever their case', async () => {
    expect(await addShift(port(), 'Night', {start: '22:00', end: '06:00', lateGrace: '10'}, NOW)).toMatchObject({name: 'Night', start: '22:00', end: '06:00', crossesMidnight: true, lateGraceMinutes: 10, isDefault: false})
    await addShift(port(), 'Day', {start: '08:00', end: '17:00', weekOff: 'fri', pattern: 'sat=09:00-13:00'}, NOW)
    expect((await listShifts(port())).map((s) => [s.name, s.start, s.weekOff, s.pattern])).toEqual([
      ['Day', '08:00', ['fri'], {sat: '09:00-13:00'}],
      ['Night', '22:00', null, null],
    ])
    await expect(addShift(port(), 'day', {start: '07:00', end: '15:00'}, NOW)).rejects.toThrow(ConflictError)
    await expect(addShift(port(), 'Late', {start: '25:00', end: '15:00'}, NOW)).rejects.toThrow(UsageError)
    expect(await showShift(port(), 'NIGHT')).toMatchObject({name: 'Night', assignments: []})
    await expect(showShift(port(), 'Evening')).rejects.toThrow(NotFoundError)
  })

  it('checks a shift before opening the store', async () => {
    let opened = false
    const lazy = lazyAttendStore(store().engine, async () => {
      opened = true
      return port()
    })
    await expect(addShift(lazy, 'Day', {start: '08:00'}, NOW)).rejects.toThrow('A shift needs both --start and --end (HH:MM).')
    await expect(assignShift(lazy, 'Day', {}, NOW)).rejects.toThrow('Pass exactly one of --employee CODE or --department NAME.')
    await expect(addRoster(lazy, 'Rotation', {}, NOW)).rejects.toThrow('A roster needs --cycle')
    await expect(assignRoster(lazy, 'Rotation', {employee: 'EMP001'}, NOW)).rejects.toThrow('A roster needs --from')
    expect(opened).toBe(false)
  })

  it('assigns shifts to employees and departments, lists them, ends and deletes them', async () => {
    await store().exec(EMPLOYEES)
    await addShift(port(), 'Day', {start: '08:00', end: '17:00'}, NOW)
    await addShift(port(), 'Night', {start: '22:00', end: '06:00'}, NOW)
    expect(await assignShift(port(), 'day', {department: 'kitchen'}, NOW)).toMatchObject({assignment: {shift: 'Day', department: 'kitchen', employeeCode: null}, recomputed: null})
    const night = (await assignShift(port(), 'Night', {employee: 'emp001', from: '2026-03-09'}, NOW)).assignment
    expect(night).toMatchObject({shift: 'Night', employeeCode: 'EMP001', employeeName: 'Alice', from: '2026-03-09', to: null})
    expect((await listAssignments(port(), {employee: 'EMP001'})).map((a) => [a.shift, a.via])).toEqual([['Day', 'department'], ['Night', 'employee']])
    expect(await listAssignments(port(), {employee: 'EMP003'})).toEqual([])
    expect(await listAssignments(port(), {shift: 'Night'})).toHaveLength(1)
    expect(await listAssignments(port(), {department: 'KITCHEN'})).toHaveLength(1)
    await expect(listAssignments(port(), {department: 'Bakery'})).rejects.toThrow('Unknown department "Bakery"')
    await expect(assignShift(port(), 'Night', {employee: 'EMP404'}, NOW)).rejects.toThrow(NotFoundError)

    expect(await endAssignment(port(), String(night.id), {to: '2026-03-12'}, NOW)).toMatchObject({assignment: {to: '2026-03-12'}, previousTo: null, deleted: false, recomputed: null})
    await expect(endAssignment(port(), String(night.id), {to: '2026-03-08'}, NOW)).rejects.toThrow(`Assignment ${night.id} starts on 2026-03-09, after --to 2026-03-08`)
    expect(await endAssignment(port(), String(night.id), {remove: true}, NOW)).toMatchObject({deleted: true, previousTo: '2026-03-12', recomputed: null})
    await expect(endAssignment(port(), '99', {}, NOW)).rejects.toThrow('No assignment with id 99: see attend shifts assignments.')
    await expect(endAssignment(port(), 'x', {}, NOW)).rejects.toThrow('Invalid assignment id "x"')
  })

  it('renames and changes a shift, keeps the default following it, and removes it with its assignments', async () => {
    await store().exec(EMPLOYEES)
    await addShift(port(), 'Night', {start: '22:00', end: '06:00'}, NOW)
    await addShift(port(), 'Day', {start: '08:00', end: '17:00'}, NOW)
    await store().exec(`INSERT INTO settings (key, value, updated_at) VALUES ('defaultShift', '"Day"', 1)`)
    await assignShift(port(), 'Night', {department: 'Kitchen', from: '2026-03-09'}, NOW)
    const updated = await updateShift(port(), 'Night', {lateGrace: '15', name: 'Nights'}, NOW + 1)
    expect(updated).toMatchObject({shift: {name: 'Nights', lateGraceMinutes: 15}, recomputed: null})
    await expect(updateShift(port(), 'Nights', {name: 'day'}, NOW)).rejects.toThrow('A shift named "day" already exists.')
    await expect(updateShift(port(), 'Nights', {}, NOW)).rejects.toThrow(/^Nothing to update/)
    expect((await showShift(port(), 'nights')).assignments).toEqual([expect.objectContaining({shift: 'Nights', department: 'Kitchen', from: '2026-03-09'})])
    expect(await removeShift(port(), 'Nights', NOW)).toEqual({removed: 'Nights', assignmentsRemoved: 1, recomputed: null})
    // The default shift is stored by name, so a rename follows it.
    await updateShift(port(), 'Day', {name: 'Office'}, NOW)
    expect(await listShifts(port())).toEqual([expect.objectContaining({name: 'Office', isDefault: true})])
    await expect(removeShift(port(), 'Office', NOW)).rejects.toThrow('Shift "Office" is the default shift')
  })

  it('adds rosters from shift names, assigns, updates and removes them', async () => {
    await store().exec(EMPLOYEES)
    await addShift(port(), 'Day', {start: '08:00', end: '17:00'}, NOW)
    await addShift(port(), 'Night', {start: '22:00', end: '06:00'}, NOW)
    expect(await addRoster(port(), 'Rotation', {cycle: 'day,Day,night,Night,off,OFF'}, NOW)).toMatchObject({name: 'Rotation', cycle: ['Day', 'Day', 'Night', 'Night', 'off', 'off'], days: 6})
    await expect(addRoster(port(), 'rotation', {cycle: 'Day'}, NOW)).rejects.toThrow(ConflictError)
    await expect(addRoster(port(), 'Other', {cycle: 'Day,Evening'}, NOW)).rejects.toThrow('Unknown shift "Evening" on day 2 of --cycle')
    await expect(addRoster(port(), 'Other', {cycle: 'off,off'}, NOW)).rejects.toThrow('--cycle has only days off')
    await expect(removeShift(port(), 'Day', NOW)).rejects.toThrow('Shift "Day" is part of roster "Rotation"')

    const assigned = await assignRoster(port(), 'Rotation', {employee: 'EMP002', from: '2026-03-09', to: '2026-03-31'}, NOW)
    expect(assigned).toMatchObject({assignment: {roster: 'Rotation', shift: null, employeeCode: 'EMP002', from: '2026-03-09', to: '2026-03-31'}, recomputed: null})
    expect(await showRoster(port(), 'ROTATION')).toMatchObject({name: 'Rotation', assignments: [expect.objectContaining({employeeCode: 'EMP002'})]})
    expect(await updateRoster(port(), 'Rotation', {cycle: 'Night,off', name: 'Nights only'}, NOW)).toMatchObject({roster: {name: 'Nights only', cycle: ['Night', 'off']}, recomputed: null})
    expect((await listRosters(port())).map((r) => r.name)).toEqual(['Nights only'])
    expect(await removeRoster(port(), 'Nights only', NOW)).toMatchObject({removed: 'Nights only', assignmentsRemoved: 1})
    expect(await listRosters(port())).toEqual([])
  })

  it('recomputes the days a change moves, on both engines', async () => {
    await store().exec(EMPLOYEES)
    await addShift(port(), 'Day', {start: '08:00', end: '17:00'}, NOW)
    const past = await assignShift(port(), 'Day', {employee: 'EMP001', from: '2026-03-02'}, NOW)
    expect(past.recomputed).toMatchObject({employees: 1, from: '2026-03-01', to: '2026-03-06'})
    const shift = await store().all<{shift: number | null}>("SELECT shift_id AS shift FROM attendance_days WHERE employee_id = 1 AND date = '2026-03-04'")
    expect(shift).toEqual([{shift: (await store().all<{id: number}>("SELECT id FROM shifts WHERE name = 'Day'"))[0].id}])
  })
})
