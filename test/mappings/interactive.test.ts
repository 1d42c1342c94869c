import {search} from '@inquirer/prompts'
import {render} from '@inquirer/testing'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {createEmployee} from '../../src/employees/service.js'
import {mapInteractively, type SearchPrompt} from '../../src/mappings/interactive.js'
import {listMappings} from '../../src/mappings/service.js'
import {portOf, testStore} from '../helpers/store.js'
import {insertPunch, punchEmployees} from './helpers.js'

const t0 = Date.UTC(2026, 2, 12, 5, 5)

type Rendered = Awaited<ReturnType<typeof render>>

/**
 * Renders each search prompt the walk asks with @inquirer/testing and hands it to the test, which
 * types and presses keys like an admin would.
 */
function scriptedSearch() {
  const waiting: ((r: Rendered) => void)[] = []
  const ready: Rendered[] = []
  const prompt: SearchPrompt = async (config) => {
    const rendered = await render(search, config)
    const next = waiting.shift()
    if (next) next(rendered)
    else ready.push(rendered)
    return rendered.answer as Promise<never>
  }
  const nextPrompt = (): Promise<Rendered> => {
    const r = ready.shift()
    return r ? Promise.resolve(r) : new Promise((resolve) => waiting.push(resolve))
  }
  return {prompt, nextPrompt}
}

let store: ReturnType<typeof testStore>
beforeEach(async () => {
  store = testStore({timezone: 'Africa/Nairobi'})
  await createEmployee(port(), {code: 'EMP001', name: 'Asha Kamau', department: 'Teaching'}, t0)
  await createEmployee(port(), {code: 'EMP002', name: 'Brian Otieno'}, t0)
  await createEmployee(port(), {code: '42', name: 'Peter Mwangi'}, t0)
})
afterEach(() => store.cleanup())
const port = () => portOf(store)

describe('mapInteractively', () => {
  it('walks the unmapped users most punches first: search and pick, suggestion, skip', async () => {
    for (let i = 0; i < 3; i++) insertPunch(store, {deviceKey: 'GATE1', deviceUserId: '17', instant: t0 + i * 60_000})
    insertPunch(store, {deviceKey: 'GATE1', deviceUserId: '17', instant: t0 + 3 * 60_000})
    insertPunch(store, {deviceKey: 'BACK2', deviceUserId: '17', instant: t0})
    insertPunch(store, {deviceKey: 'GATE1', deviceUserId: '0042', instant: t0})
    insertPunch(store, {deviceKey: 'GATE1', deviceUserId: '0042', instant: t0 + 1})
    insertPunch(store, {deviceKey: 'GATE1', deviceUserId: '99', instant: t0})
    const log: string[] = []
    const {prompt, nextPrompt} = scriptedSearch()
    const walk = mapInteractively(port(), {search: prompt}, t0, (line) => log.push(line))

    // 17 (4 punches at the gate): find Brian by part of his name.
    let p = await nextPrompt()
    await p.nextRender()
    expect(p.getScreen()).toContain('Employee for device user 17 (type a name or code)')
    expect(p.getScreen()).toContain('Skip this device user')
    p.events.type('otien')
    await p.nextRender()
    expect(p.getScreen()).toContain('EMP002  Brian Otieno')
    expect(p.getScreen()).not.toContain('Asha')
    p.events.keypress('enter')

    // 0042: the code 42 is suggested before typing anything; Enter takes it.
    p = await nextPrompt()
    await p.nextRender()
    expect(p.getScreen()).toMatch(/❯ 42 {2}Peter Mwangi/)
    p.events.keypress('enter')

    // 99: skip. (17 on the back door is covered by the mapping for all devices made above.)
    p = await nextPrompt()
    await p.nextRender()
    p.events.type('nobody by that name')
    await p.nextRender()
    expect(p.getScreen()).toContain('❯ Skip this device user')
    p.events.keypress('enter')

    const result = await walk
    expect(result).toEqual({
      mapped: [
        {deviceUserId: '17', employeeCode: 'EMP002', employeeName: 'Brian Otieno', reresolved: 5},
        {deviceUserId: '0042', employeeCode: '42', employeeName: 'Peter Mwangi', reresolved: 2},
      ],
      skipped: ['99'],
      stopped: false,
    })
    expect(log[0]).toBe('Device user 17 from GATE1: 4 punches, last 2026-03-12 08:08')
    expect((await listMappings(port())).map((m) => [m.deviceUserId, m.device, m.employeeCode])).toEqual([
      ['17', null, 'EMP002'],
      ['0042', null, '42'],
    ])
    expect(punchEmployees(store)['GATE1/99']).toEqual([null])
  })

  it('stops when asked, keeping what was picked', async () => {
    insertPunch(store, {deviceKey: 'GATE1', deviceUserId: '17', instant: t0})
    insertPunch(store, {deviceKey: 'GATE1', deviceUserId: '18', instant: t0})
    const {prompt, nextPrompt} = scriptedSearch()
    const walk = mapInteractively(port(), {search: prompt}, t0)
    const p = await nextPrompt()
    await p.nextRender()
    p.events.type('zzz')
    await p.nextRender()
    p.events.keypress('down')
    await p.nextRender()
    expect(p.getScreen()).toContain('❯ Stop (keep the mappings made so far)')
    p.events.keypress('enter')
    expect(await walk).toEqual({mapped: [], skipped: [], stopped: true})
  })

  it('says so when nothing is unmapped, without prompting', async () => {
    const log: string[] = []
    const result = await mapInteractively(port(), {search: () => Promise.reject(new Error('no prompt expected'))}, t0, (l) => log.push(l))
    expect(result).toEqual({mapped: [], skipped: [], stopped: false})
    expect(log).toEqual(['Every device user seen in punches is mapped.'])
  })
})
