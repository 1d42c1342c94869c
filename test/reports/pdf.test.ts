import {afterEach, describe, expect, it} from 'vitest'

import {buildReport} from '../../src/reports/build.js'
import {pdfOf} from '../../src/reports/render.js'
import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {testStore} from '../helpers/store.js'
import {pdfPages} from './pdf-text.js'
import {insertDays, insertEmployees, insertHoliday, month, seedJanuary2023} from './seed.js'

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
    // The site's clock, not UTC's: 10:00Z is 11:00 in Warsaw that day.
    writeSettings(store, {timezone: 'Europe/Warsaw'}, 0)
    const bytes = await report('summary')
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const [page, ...rest] = await pdfPages(bytes)
    expect(rest).toHaveLength(0)
    for (const name of ['Łukasz Nowak', 'Zoë Müller', 'José García', 'John Doe']) expect(page).toContain(name)
    expect(page).toContain('Szkoła Podstawowa — Kadry')
    expect(page).toContain('Attendance summary: 2023-01-01 – 2023-01-31')
    expect(page).toContain('Generated: 2023-02-01 11:00 (Europe/Warsaw, UTC+01:00)')
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
    // 130 people × 21 present days, 1 absent each; 8 h a day. Hours are H:MM, and the grand
    // total is printed whole: the hours column grows to fit it (it used to print "21…").
    expect(pages.at(-1)).toMatch(/All 130 people 2730 130 0 0 0 21840:00 0:00 0 0\/0 0:00 0/)
    expect(pages.at(-1)).not.toMatch(/All 130 people[^\n]*…/)
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

/**
 * Issue 10: fitting a long text into a cell cut it one character at a time, measuring the whole
 * rest each time — 4.8 s for 2 000 characters, and 10 000 never finished (on the server, every
 * family waited meanwhile). The timeout is only a guard; the assertions are on the printed text.
 */
describe('PDF reports with very long texts', () => {
  const long = (word: string, length: number) => word.repeat(Math.ceil(length / word.length)).slice(0, length)

  it('cut a 12 000-character department, name, title and holiday name with an ellipsis, on one page', {timeout: 60_000}, async () => {
    store = testStore()
    const department = long('Département des ressources humaines ', 12_000)
    const name = long('Zoë Łukasiewicz-', 12_000)
    writeSettings(store, {reportTitle: long('Szkoła Podstawowa nr 1 ', 12_000)}, 0)
    const [id] = insertEmployees(store, [{code: 'E001', name, department}])
    insertDays(store, month(id, '2023-01-01', '2023-01-31'))
    insertHoliday(store, '2023-01-06', long('Trzech Króli ', 12_000))

    const summaryPages = await pdfPages(await report('summary'))
    expect(summaryPages).toHaveLength(1)
    const page = summaryPages[0]
    expect(page).toMatch(/Département des ressources humaines Département[^…]*…/)
    expect(page).toMatch(/E001 Zoë Łukasiewicz-Zoë[^…]*… 22 22 0 0 0 0 100\.00/)
    expect(page).toMatch(/Szkoła Podstawowa nr 1 Szkoła[^…]*…/)
    expect(page.length).toBeLessThan(4_000)

    const registerPages = await pdfPages(await report('register'))
    expect(registerPages).toHaveLength(1)
    expect(registerPages[0]).toMatch(/Holidays: 2023-01-06 Trzech Króli Trzech[^…]*…/)
    expect(registerPages[0]).toContain('Legend: P present')
  })

  it('keep "(continued)" after a long department carried over to the next page', {timeout: 60_000}, async () => {
    store = testStore()
    const department = long('Administration ', 10_000)
    const ids = insertEmployees(store, Array.from({length: 90}, (_, i) => ({code: `E${i + 1}`, name: `Person ${i + 1}`, department})))
    insertDays(store, ids.flatMap((id) => month(id, '2023-01-01', '2023-01-31')))
    const pages = await pdfPages(await report('register'))
    expect(pages.length).toBeGreaterThan(1)
    expect(pages[1]).toMatch(/Administration[^…]*… \(continued\)/)
  })
})

describe('PDF wrapped cells', () => {
  it('show at most twelve lines of a very long text, so rows never outgrow a page', {timeout: 60_000}, async () => {
    const {renderPdf} = await import('../../src/reports/render/pdf.js')
    const heading = {title: 'T', subtitle: 'Daily attendance', period: '2026-03-12', filters: 'all employees', generatedAt: Date.parse('2026-03-13T00:00:00Z'), generated: '2026-03-13 00:00 (UTC, UTC+00:00)', zone: 'UTC'}
    const punches = Array.from({length: 600}, (_, i) => `${String(6 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} in`).join(', ')
    const rows = Array.from({length: 30}, (_, i) => ({cells: [`E${i + 1}`, `Person ${i + 1}`, punches]}))
    const bytes = await renderPdf(
      [{heading, sheet: {orientation: 'portrait', columns: [{label: 'Code', width: 50}, {label: 'Name', width: 120}, {label: 'Punches', width: 300, wrap: true}], groups: [{name: null, rows}], notes: [], empty: ''}}],
      {title: 'T', subject: 'S', generatedAt: 0},
    )
    const pages = await pdfPages(bytes)
    // Twelve lines of 8 pt text make a row of about 120 pt: six rows to an A4 page.
    expect(pages.length).toBeLessThanOrEqual(6)
    expect(pages.join(' ')).toContain('Person 30')
    expect(pages[0]).toMatch(/06:00 in, 07:01 in, .*…/)
  })
})
