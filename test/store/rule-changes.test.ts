import {expect, it} from 'vitest'

import {addHoliday, removeHoliday} from '../../src/holidays/service.js'
import {updateEmployee} from '../../src/employees/service.js'
import {addLeave} from '../../src/leaves/service.js'
import {addMapping} from '../../src/mappings/service.js'
import {setConfig} from '../../src/settings/config.js'
import {assignShift} from '../../src/shifts/assign.js'
import {addShift, updateShift} from '../../src/shifts/service.js'
import {describeEngines} from '../helpers/engines.js'

/** A Friday evening: Monday 2 to Friday 6 March 2026 are past or today. */
const NOW = Date.UTC(2026, 2, 6, 20)

const EMPLOYEES = `INSERT INTO employees (id, code, name, department, created_at, updated_at) VALUES
  (1, 'EMP001', 'Alice', 'Kitchen', 1, 1), (2, 'EMP002', 'Bob', 'Kitchen', 1, 1)`

type Day = {employee: number; date: string; status: string; shift: number | null; worked: number}

/**
 * A change of the rules recomputes the days it moves, in its own transaction, on both engines
 * (docs/architecture.md, "The store port"): the stored days afterwards are what a fresh recompute
 * writes, with no `attend recompute` in between.
 */
describeEngines('days recomputed after a change of the rules', (store) => {
  const port = () => store().port
  const days = () =>
    store().all<Day>('SELECT employee_id AS employee, date, status, shift_id AS shift, worked_minutes AS worked FROM attendance_days ORDER BY employee_id, date')
  const punch = (code: string, time: string) => ({deviceUserId: code, time: {kind: 'instant' as const, ms: Date.parse(`${time}Z`)}, timeText: time, deviceSerial: 'GATE1'})

  /** Alice worked Wednesday 08:00–17:00; Bob never punched. Every day of the week is stored. */
  async function week(): Promise<void> {
    await store().exec(EMPLOYEES)
    await addShift(port(), 'Day', {start: '08:00', end: '17:00'}, NOW)
    await port().punches.ingest([punch('EMP001', '2026-03-04T08:00:00'), punch('EMP001', '2026-03-04T17:00:00')], {source: 'test', now: NOW})
    await port().attendance.recompute({from: '2026-03-02', to: '2026-03-06'}, NOW)
  }

  it('a holiday marks its date for everyone at once, and its removal brings the day back', async () => {
    await week()
    const added = await addHoliday(port(), '2026-03-05', 'Founders Day', NOW)
    expect(added.recomputed).toMatchObject({employees: 2, days: 2, changed: 2, from: '2026-03-05', to: '2026-03-05'})
    expect((await days()).filter((d) => d.date === '2026-03-05').map((d) => d.status)).toEqual(['holiday', 'holiday'])
    await removeHoliday(port(), '2026-03-05', NOW)
    expect((await days()).filter((d) => d.date === '2026-03-05').map((d) => d.status)).toEqual(['absent', 'absent'])
  })

  it('a shift assigned over past days gives them its hours; a change of that shift moves them again', async () => {
    await week()
    await addShift(port(), 'Early', {start: '06:00', end: '15:00'}, NOW)
    const assigned = await assignShift(port(), 'Early', {employee: 'EMP001', from: '2026-03-02'}, NOW)
    expect(assigned.recomputed).toMatchObject({employees: 1, from: '2026-03-01', to: '2026-03-06'})
    const early = (await store().all<{id: number}>("SELECT id FROM shifts WHERE name = 'Early'"))[0].id
    const wednesday = async () => (await days()).find((d) => d.employee === 1 && d.date === '2026-03-04')!
    // 08:00 is two hours late for a 06:00 start: a late day on the Early shift.
    expect(await wednesday()).toMatchObject({shift: early, status: 'present'})
    const late = await store().all<{late: number}>("SELECT late_minutes AS late FROM attendance_days WHERE employee_id = 1 AND date = '2026-03-04'")
    expect(late[0].late).toBe(120)
    const updated = await updateShift(port(), 'Early', {start: '08:00'}, NOW)
    expect(updated.recomputed).toMatchObject({employees: 1})
    const onTime = await store().all<{late: number}>("SELECT late_minutes AS late FROM attendance_days WHERE employee_id = 1 AND date = '2026-03-04'")
    expect(onTime[0].late).toBe(0)
    // Bob's days are not his to move.
    expect((await days()).filter((d) => d.employee === 2).every((d) => d.shift !== early)).toBe(true)
  })

  it('a leave over past days makes them leave days', async () => {
    await week()
    const change = await addLeave(port(), 'EMP002', {from: '2026-03-02', to: '2026-03-03'}, NOW)
    expect(change.recomputed).toMatchObject({employees: 1, from: '2026-03-02', to: '2026-03-03'})
    const bob = (await days()).filter((d) => d.employee === 2)
    expect(bob.slice(0, 2).map((d) => d.status)).toEqual(['leave', 'leave'])
    expect(bob.slice(2).some((d) => d.status === 'leave')).toBe(false)
  })

  it('a mapping moves a device user\'s punches to the employee, and their days with them', async () => {
    await week()
    await port().punches.ingest([punch('4711', '2026-03-05T08:00:00'), punch('4711', '2026-03-05T17:00:00')], {source: 'test', now: NOW})
    const thursday = async () => (await days()).find((d) => d.employee === 2 && d.date === '2026-03-05')!
    expect((await thursday()).status).toBe('absent')
    expect(await addMapping(port(), {deviceUserId: '4711', employeeCode: 'EMP002'}, NOW)).toMatchObject({reresolved: 2})
    expect(await thursday()).toMatchObject({status: 'present', worked: 540})
  })

  it('a leaving date removes the days after it; a week off changed recomputes everyone', async () => {
    await week()
    expect((await updateEmployee(port(), 'EMP002', {leftOn: '2026-03-03'}, NOW)).recomputed).toMatchObject({employees: 1})
    expect((await days()).filter((d) => d.employee === 2).map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03'])
    await setConfig(port(), 'week-off', 'wed', NOW)
    expect((await days()).find((d) => d.employee === 1 && d.date === '2026-03-04')?.status).toBe('weekly_off')
  })
})
