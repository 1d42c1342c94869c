import path from 'node:path'
import {expect, it} from 'vitest'

import {listAttendance} from '../../src/attendance/list.js'
import {setManualDay, unsetManualDay} from '../../src/attendance/manual.js'
import {runRecompute} from '../../src/attendance/run.js'
import {importPunchFiles} from '../../src/imports/service.js'
import {addManualPunch, listPunches, removeManualPunch} from '../../src/punches/service.js'
import {describeEngines} from '../helpers/engines.js'

const fixturePath = (name: string) => path.resolve(import.meta.dirname, '../fixtures', name)

// Wednesday 2026-03-11, noon in Nairobi: the attlog fixture's two days are over.
const NOW = Date.UTC(2026, 2, 11, 9)

const PEOPLE = `INSERT INTO employees (id, code, name, department, created_at, updated_at) VALUES
  (1, '1', 'Asha Kamau', 'Teaching', 1, 1), (2, '23', 'Brian Otieno', 'Teaching', 1, 1), (3, '105', 'Carol Wanjiru', 'Office', 1, 1)`

/**
 * The ingest and attendance services on both engines (docs/architecture.md, "The store port"): an
 * import, the listings, a recompute and an admin's decisions give the same answers on SQLite and
 * on PostgreSQL.
 */
describeEngines(
  'ingest and attendance services',
  (store) => {
    it('imports a punch log, lists its punches and days, and recomputes nothing twice', async () => {
      await store().exec(PEOPLE)
      const summary = await importPunchFiles(store().port, {files: [fixturePath('attlog.dat')]}, {now: NOW})
      expect(summary).toMatchObject({read: 7, stored: 6, duplicates: 0, unmapped: 1, rejected: 1, committed: true})
      expect(summary.rejectedLines).toEqual([expect.objectContaining({line: 6, reason: expect.stringContaining('Invalid timestamp')})])
      const again = await importPunchFiles(store().port, {files: [fixturePath('attlog.dat')]}, {now: NOW})
      expect(again).toMatchObject({stored: 0, duplicates: 6, rejected: 1})
      expect((await store().port.imports.list({})).rows.map((run) => [run.status, run.read, run.stored, run.duplicates])).toEqual([
        ['partial', 7, 0, 6],
        ['partial', 7, 6, 0],
      ])

      const punches = await listPunches(store().port, {from: '2026-03-09', to: '2026-03-10', employee: '23'})
      expect(punches).toMatchObject({total: 2, timezone: 'Africa/Nairobi'})
      expect(punches.rows.map((row) => row.localTime)).toEqual(['2026-03-09 08:12:05', '2026-03-09 16:55:31'])

      const days = await listAttendance(store().port, {from: '2026-03-09', to: '2026-03-10'}, NOW)
      expect(days.rows.map((row) => [row.date, row.employeeCode, row.status, row.checkIn, row.checkOut])).toEqual([
        ['2026-03-09', '1', 'present', '07:58', '17:04'],
        ['2026-03-09', '105', 'present', '08:01', null],
        ['2026-03-09', '23', 'present', '08:12', '16:55'],
        ['2026-03-10', '1', 'absent', null, null],
        ['2026-03-10', '105', 'absent', null, null],
        ['2026-03-10', '23', 'absent', null, null],
      ])
      expect(await runRecompute(store().port, {from: '2026-03-09', to: '2026-03-10'}, NOW)).toEqual({employees: 3, days: 6, changed: 0, from: '2026-03-09', to: '2026-03-10'})
      const office = await listAttendance(store().port, {from: '2026-03-09', to: '2026-03-10', department: 'office'}, NOW)
      expect(office.rows.map((row) => row.employeeCode)).toEqual(['105', '105'])
      await expect(listAttendance(store().port, {from: '2026-03-09', to: '2026-03-10', department: 'Kitchen'}, NOW)).rejects.toThrow('Unknown department "Kitchen": known departments: Office, Teaching.')
    })

    it('adds and removes a manual punch, and sets and unsets a manual day, recomputing each', async () => {
      await store().exec(PEOPLE)
      const added = await addManualPunch(store().port, {employeeCode: '105', at: '2026-03-09 17:10', direction: 'out', note: 'reader down'}, NOW)
      expect(added).toMatchObject({employeeCode: '105', localTime: '2026-03-09 17:10:00', manual: true, direction: 'out', device: 'manual'})
      await expect(addManualPunch(store().port, {employeeCode: '105', at: '2026-03-09 17:10'}, NOW)).rejects.toThrow(`105 already has a manual punch at 2026-03-09 17:10 (punch ${added.id}).`)
      await expect(addManualPunch(store().port, {employeeCode: 'E404', at: '2026-03-09 17:10'}, NOW)).rejects.toThrow('Unknown employee code "E404"')

      const set = await setManualDay(store().port, '1', '2026-03-10', {status: 'leave', note: 'Clinic'}, NOW)
      expect(set.day).toMatchObject({status: 'leave', manual: true, note: 'Clinic'})
      expect(set.recomputed).toMatchObject({employees: 1, changed: 1})
      const unset = await unsetManualDay(store().port, '1', '2026-03-10', NOW)
      expect(unset.removed).toEqual({employeeCode: '1', date: '2026-03-10', status: 'leave', checkIn: null, checkOut: null, note: 'Clinic'})
      expect(unset.day).toMatchObject({status: 'absent', manual: false})
      await expect(unsetManualDay(store().port, '1', '2026-03-10', NOW)).rejects.toThrow('1 has no manual day on 2026-03-10')

      const removed = await removeManualPunch(store().port, added.id, NOW)
      expect(removed.id).toBe(added.id)
      expect((await listPunches(store().port, {})).total).toBe(0)
      const days = await store().all<{status: string}>(`SELECT status FROM attendance_days WHERE employee_id = 3 AND date = '2026-03-09'`)
      expect(days).toEqual([{status: 'absent'}])
    })
  },
  {timezone: 'Africa/Nairobi', now: () => NOW},
)
