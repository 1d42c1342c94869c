import {afterEach, describe, expect, it} from 'vitest'

import {buildReport} from '../../src/reports/build.js'
import {pdfOf} from '../../src/reports/render.js'
import {writeSettings} from '../../src/settings/settings.js'
import {testStore} from '../helpers/store.js'
import {pdfPages} from './pdf-text.js'
import {insertDays, insertEmployees, month, seedJanuary2023} from './seed.js'

const generatedAt = Date.parse('2023-02-01T10:00:00Z')
let store: ReturnType<typeof testStore>
afterEach(() => store?.cleanup())

const report = (kind: 'summary' | 'register' | 'late' | 'daily' | 'punches', from = '2023-01-01', to = '2023-01-31') =>
  pdfOf(buildReport(store, {kind, from, to, employee: null, department: null, generatedAt}, Date.now()))

describe('PDF reports', () => {
  it('print names with diacritics, the title from settings, totals and the page count', async () => {
    store = testStore()
    writeSettings(store, {reportTitle: 'Szkoła Podstawowa — Kadry'}, 0)
    seedJanuary2023(store)
    const bytes = await report('summary')
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const [page, ...rest] = await pdfPages(bytes)
    expect(rest).toHaveLength(0)
    for (const name of ['Łukasz Nowak', 'Zoë Müller', 'José García', 'John Doe']) expect(page).toContain(name)
    expect(page).toContain('Szkoła Podstawowa — Kadry')
    expect(page).toContain('Attendance summary: 2023-01-01 – 2023-01-31')
    expect(page).toContain('Generated: 2023-02-01T10:00:00Z')
    expect(page).toContain('95.45')
    expect(page).toMatch(/All 4 people 77 75\.5 1\.5 2 1 1 98\.27/)
    expect(page).toContain('Page 1 of 1')
  })

  it('repeat the heading and the table header on every page of a long register, with Page x of y', async () => {
    store = testStore()
    const ids = insertEmployees(
      store,
      Array.from({length: 130}, (_, i) => ({code: `E${String(i + 1).padStart(3, '0')}`, name: i === 129 ? 'Zoë Łukasiewicz' : `Person ${i + 1}`, department: i < 70 ? 'Teaching' : 'Admin'})),
    )
    insertDays(store, ids.flatMap((id) => month(id, '2023-01-01', '2023-01-31', (_d, i) => (i === 0 ? 'absent' : 'present'))))
    const pages = await pdfPages(await report('register'))
    expect(pages.length).toBeGreaterThan(2)
    pages.forEach((text, i) => {
      expect(text).toContain('Attendance register: 2023-01-01 – 2023-01-31')
      expect(text).toMatch(/Code Name 1 Su 2 Mo 3 Tu/)
      expect(text).toContain('Hours')
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`)
    })
    const all = pages.join('\n')
    expect(all).toContain('Teaching (continued)')
    expect(all).toContain('Zoë Łukasiewicz')
    expect(all).toContain('Legend: P present')
    // 130 people × 21 present days, 1 absent each; 8 h a day.
    expect(pages.at(-1)).toMatch(/All 130 people 2730 130 0 0 0 21840 0/)
  })

  it('are the same bytes for the same data and generation time', async () => {
    store = testStore()
    seedJanuary2023(store)
    const first = await report('register')
    const second = await report('register')
    expect(first.equals(second)).toBe(true)
    const other = await pdfOf(buildReport(store, {kind: 'register', from: '2023-01-01', to: '2023-01-31', employee: null, department: null, generatedAt: generatedAt + 1000}, 0))
    expect(other.equals(first)).toBe(false)
  })

  it('render the daily, late and punches reports', async () => {
    store = testStore()
    seedJanuary2023(store)
    expect((await pdfPages(await report('late'))).join(' ')).toMatch(/2023-01-03 EMP001 John Doe late arrival Day 09:00 09:14 14/)
    expect((await pdfPages(await report('daily', '2023-01-03', '2023-01-03'))).join(' ')).toContain('Łukasz Nowak')
    expect((await pdfPages(await report('punches'))).join(' ')).toContain('No punches in this period.')
  })
})
