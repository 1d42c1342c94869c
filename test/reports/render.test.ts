import {PassThrough} from 'node:stream'
import {afterEach, describe, expect, it} from 'vitest'

import {buildReport} from '../../src/reports/build.js'
import {renderReport} from '../../src/reports/render.js'
import {colorLevel} from '../../src/reports/render/color.js'
import {testStore} from '../helpers/store.js'
import {insertDays, insertDevice, insertEmployees, insertPunches, month, portOf, seedJanuary2023} from './seed.js'

const generatedAt = Date.parse('2023-02-01T10:00:00Z')
let store: ReturnType<typeof testStore>
afterEach(() => store?.cleanup())

async function render(kind: 'summary' | 'register' | 'daily' | 'late' | 'punches', format: 'table' | 'json' | 'csv', options: {color?: 0 | 1; from?: string; to?: string; department?: string} = {}) {
  const resolved = await buildReport(portOf(store), {kind, from: options.from ?? '2023-01-01', to: options.to ?? '2023-01-31', employee: null, department: options.department ?? null, generatedAt}, 0)
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (c: Buffer) => chunks.push(c))
  await renderReport(resolved, format, sink, options.color ?? 0)
  return Buffer.concat(chunks).toString('utf8')
}

describe('renderers', () => {
  it('CSV has a header row, one line per employee and plain numbers', async () => {
    store = testStore()
    seedJanuary2023(store)
    const lines = (await render('summary', 'csv')).trimEnd().split('\n')
    expect(lines[0]).toBe(
      'user_id,code,name,department,working_days,present_days,absent_days,late_days,early_departure_days,leave_days,pending_days,attendance_percentage,' +
        'half_off_days,worked_on_holiday_days,worked_on_leave_days,off_day_hours,manual_days',
    )
    expect(lines).toContain('usr_1,EMP001,John Doe,IT,22,21,1,2,1,0,0,95.45,0,0,0,0,0')
    expect(lines).toContain('usr_2,EMP002,Łukasz Nowak,IT,21,20.5,0.5,0,0,1,0,97.62,0,0,0,0,0')
    expect(lines).toHaveLength(5)
  })

  it('register CSV has ISO dates as column names and codes in cells', async () => {
    store = testStore()
    seedJanuary2023(store)
    const lines = (await render('register', 'csv')).trimEnd().split('\n')
    expect(lines[0].split(',').slice(0, 5)).toEqual(['department', 'code', 'name', '2023-01-01', '2023-01-02'])
    expect(lines[0].split(',').slice(-12)).toEqual([
      'present', 'absent', 'late', 'half_days', 'leave', 'worked_hours', 'overtime_hours',
      'half_off_days', 'worked_on_holiday_days', 'worked_on_leave_days', 'off_day_hours', 'manual_days',
    ])
    expect(lines.find((l) => l.includes('EMP001'))).toBe('IT,EMP001,John Doe,WO,P,L,P,P,A,WO,WO,P,P,L,P,P,WO,WO,P,P,P,P,P,WO,WO,P,P,P,P,P,WO,WO,P,P,21,1,2,0,0,168,0,0,0,0,0,0')
    // Zoë joined on the 16th: blank before.
    expect(lines.find((l) => l.includes('EMP003'))).toMatch(/^HR,EMP003,Zoë Müller,,,,,,,,,,,,,,,,P,P/)
  })

  it('punches CSV streams every punch, unmapped ones too, with ISO local times', async () => {
    store = testStore({timezone: 'Europe/Warsaw'})
    const {ids} = seedJanuary2023(store)
    const device = insertDevice(store, 'SN-1', 'Main gate')
    insertPunches(store, [
      {deviceKey: 'SN-1', deviceId: device, deviceUserId: '7', employeeId: ids[1], instant: Date.parse('2023-01-03T07:58:00Z'), direction: 'in'},
      {deviceKey: 'SN-1', deviceId: device, deviceUserId: '99', employeeId: null, instant: Date.parse('2023-01-03T08:01:00Z')},
      {deviceKey: 'manual', deviceUserId: '7', employeeId: ids[1], instant: Date.parse('2023-01-03T16:00:00Z'), direction: 'out', source: 'manual', manual: true},
      {deviceKey: 'SN-1', deviceId: device, deviceUserId: '7', employeeId: ids[1], instant: Date.parse('2023-02-03T07:58:00Z')},
    ])
    const lines = (await render('punches', 'csv')).trimEnd().split('\n')
    expect(lines[0]).toBe('id,time,date,device,device_name,device_user_id,employee,name,department,direction,source,manual,raw_status,sent_as')
    expect(lines.slice(1).map((l) => l.split(',').slice(1).join(','))).toEqual([
      '2023-01-03T08:58:00+01:00,2023-01-03,SN-1,Main gate,7,EMP002,Łukasz Nowak,IT,in,import:attlog,false,,',
      '2023-01-03T09:01:00+01:00,2023-01-03,SN-1,Main gate,99,,,,,import:attlog,false,,',
      '2023-01-03T17:00:00+01:00,2023-01-03,manual,,7,EMP002,Łukasz Nowak,IT,out,manual,true,,',
    ])
    const json = JSON.parse(await render('punches', 'json')) as {employee: string | null}[]
    expect(json.map((p) => p.employee)).toEqual(['EMP002', null, 'EMP002'])
    expect(JSON.parse(await render('punches', 'json', {department: 'IT'}))).toHaveLength(2)
    const table = await render('punches', 'table')
    expect(table).toContain('unmapped')
    expect(table).toContain('3 punches')
  })

  it('table colors statuses only when asked, and never with NO_COLOR', async () => {
    store = testStore()
    seedJanuary2023(store)
    const plain = await render('register', 'table')
    expect(plain).not.toContain('\u001B[')
    expect(plain).toContain('Łukasz Nowak')
    expect(plain).toMatch(/All\s+4 people\s+75\.5\s+1\.5/)
    const colored = await render('register', 'table', {color: 1})
    expect(colored).toContain('\u001B[31mA\u001B[39m')
    expect(colorLevel({isTTY: true}, {NO_COLOR: '1'})).toBe(0)
    expect(colorLevel({isTTY: false}, {})).toBe(0)
    expect(colorLevel({isTTY: true}, {})).toBeGreaterThan(0)
  })

  it('JSON of the summary is the seed 001 report object', async () => {
    store = testStore()
    seedJanuary2023(store)
    const report = JSON.parse(await render('summary', 'json', {department: 'it'}))
    expect(report.department).toBe('IT')
    expect(report.summary).toEqual({total_users: 2, total_days: 31, working_days: 22, average_attendance: 96.54})
  })

  it('daily table shows check-in, check-out and a star on manual punches', async () => {
    store = testStore()
    const {ids} = seedJanuary2023(store)
    insertPunches(store, [
      {deviceKey: 'SN-1', deviceUserId: '1', employeeId: ids[0], instant: Date.parse('2023-01-03T09:14:00Z'), direction: 'in'},
      {deviceKey: 'manual', deviceUserId: '1', employeeId: ids[0], instant: Date.parse('2023-01-03T17:00:00Z'), source: 'manual', manual: true},
    ])
    const table = await render('daily', 'table', {from: '2023-01-03', to: '2023-01-03'})
    expect(table).toMatch(/EMP001\s+John Doe\s+Day\s+09:14\s+17:00\s+8:00\s+14\s+–\s+present\s+–\s+09:14 in, 17:00\*/)
    const csv = await render('daily', 'csv', {from: '2023-01-03', to: '2023-01-03'})
    expect(csv).toContain('2023-01-03,EMP001,John Doe,IT,Day,2023-01-03T09:14:00Z,2023-01-03T17:00:00Z,480,14,0,present,false,2023-01-03T09:14:00Z in; 2023-01-03T17:00:00Z*,,false,false,0,false,')
  })

  it('table cuts a 10 000-character department and name, so lines stay as wide as the figures need', async () => {
    store = testStore()
    const [id] = insertEmployees(store, [{code: 'E001', name: 'Zoë '.repeat(2_500), department: 'Département '.repeat(1_000)}])
    insertDays(store, month(id, '2023-01-01', '2023-01-31'))
    const table = await render('summary', 'table')
    expect(Math.max(...table.split('\n').map((line) => line.length))).toBeLessThan(250)
    expect(table).toMatch(/^Département Département .*…$/m)
    expect(table).toMatch(/^E001\s+Zoë Zoë .*…\s+22\s+22\s+0\s+0\s+0\s+0\s+100\.00\s/m)
  })
})

