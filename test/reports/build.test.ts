import {expect, it} from 'vitest'

import {unknownEmployee} from '../../src/errors.js'
import {buildReport, reportJsonOf} from '../../src/reports/build.js'
import type {SummaryReport} from '../../src/reports/models/summary.js'
import {describeEngines} from '../helpers/engines.js'
import {insertDays, insertEmployees, insertHoliday, month, seedJanuary2023On} from './seed.js'

describeEngines('reports read from the store', (store) => {
  const summary = async (query: {employee?: string; department?: string; from?: string; to?: string} = {}) =>
    reportJsonOf(
      await buildReport(
        store().port,
        {kind: 'summary', from: query.from ?? '2023-01-01', to: query.to ?? '2023-01-31', employee: query.employee ?? null, department: query.department ?? null, generatedAt: null},
        Date.parse('2023-02-01T10:00:00Z'),
      ),
    ) as SummaryReport

  it('filter by employee (case-insensitive code, or usr_<id>) and department (stored spelling)', async () => {
    const {ids} = await seedJanuary2023On(store())
    expect((await summary({employee: 'emp003'})).users.map((u) => u.name)).toEqual(['Zoë Müller'])
    expect((await summary({employee: `usr_${ids[3]}`})).users.map((u) => u.name)).toEqual(['José García'])
    const hr = await summary({department: 'hr'})
    expect(hr.department).toBe('HR')
    expect(hr.users.map((u) => u.name)).toEqual(['Zoë Müller', 'José García'])
    expect(hr.generated_at).toBe('2023-02-01T10:00:00Z')
  })

  it('name an unknown employee or department in one sentence', async () => {
    await seedJanuary2023On(store())
    await expect(summary({employee: 'EMP999'})).rejects.toThrow(unknownEmployee('EMP999'))
    await expect(summary({department: 'Sales'})).rejects.toThrow('Unknown department "Sales": known departments: HR, IT.')
  })

  it('read holidays from the store and leave out people not employed or inactive in the period', async () => {
    const [active, inactiveWithRows] = await insertEmployees(store(), [
      {code: 'A1', name: 'Active'},
      {code: 'A2', name: 'Left, with rows', active: false},
      {code: 'A3', name: 'Inactive, no rows', active: false},
      {code: 'A4', name: 'Joins in March', joinedOn: '2023-03-01'},
      {code: 'A5', name: 'Left in 2022', leftOn: '2022-12-31'},
    ])
    await insertHoliday(store(), '2023-01-06', 'Epiphany')
    await insertDays(store(), [...month(active, '2023-01-01', '2023-01-31'), ...month(inactiveWithRows, '2023-01-01', '2023-01-10')])
    const report = await summary()
    expect(report.users.map((u) => u.name)).toEqual(['Active', 'Left, with rows'])
    expect(report.summary.working_days).toBe(21)
  })
})
