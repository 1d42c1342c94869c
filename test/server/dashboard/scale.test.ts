import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {recomputeRange} from '../../../src/store/sqlite/attendance/recompute.js'
import {openStore} from '../../../src/db/open.js'
import {createDevice} from '../../../src/store/sqlite/devices.js'
import {createApiKey} from '../../../src/store/sqlite/directory/api-keys.js'
import {writeSettings} from '../../../src/store/sqlite/directory/settings.js'
import {addShift} from '../../../src/store/sqlite/schedules/shifts.js'
import {addDays} from '../../../src/time/calendar.js'
import {LocalClock} from '../../../src/time/local-clock.js'
import {runJson, tempDir} from '../../helpers/cli.js'
import {insertEmployees, insertPunches, type SeedPunch} from '../../reports/seed.js'
import {postJson} from '../helpers.js'
import {spawnServe, type ServeProcess} from '../spawn-serve.js'
import {launchChromium, type Browser} from './browser.js'
import {middayZone} from './site.js'

const EMPLOYEES = 1000
const DEPARTMENTS = 20

/**
 * The status page at a site of a thousand people with a month of punches (four a day over the last
 * thirty days), computed: the page must show the same figures as `attend report daily`, stay
 * usable (finding one person among hundreds in), and punches must keep being acknowledged while
 * the page loads. Timings are printed, never asserted (bench/dashboard.js measures them).
 */
describe('the status page with 1 000 employees and a month of punches', {timeout: 180_000}, () => {
  let temp: ReturnType<typeof tempDir>
  let file: string
  let serve: ServeProcess
  let browser: Browser
  let readKey: string
  let gateToken: string
  let zone: string
  let today: string

  beforeAll(async () => {
    temp = tempDir('attend-dashboard-scale-')
    file = path.join(temp.dir, 'attend.db')
    const now = Date.now()
    zone = middayZone(now)
    const clock = LocalClock.for(zone)
    today = clock.dateOf(now)
    const store = openStore(file)
    try {
      writeSettings(store, {timezone: zone, weekOff: [], reportTitle: 'Large site'}, now)
      addShift(() => store, 'Day', {start: '08:00', end: '17:00', lateGrace: 5}, now)
      writeSettings(store, {defaultShift: 'Day'}, now)
      const gate = createDevice(store, {serial: 'GATE-1', name: 'Gate'}, now)
      gateToken = gate.token
      readKey = createApiKey(store, {name: 'wall', scopes: ['read']}, now).key
      const ids = insertEmployees(
        store,
        Array.from({length: EMPLOYEES}, (_, i) => ({code: `E${String(i + 1).padStart(4, '0')}`, name: `Person ${i + 1}`, department: `Department ${String((i % DEPARTMENTS) + 1).padStart(2, '0')}`, joinedOn: '2020-01-01'})),
      )
      const punches: SeedPunch[] = []
      // The last thirty days and today, whatever the day of the month.
      const first = addDays(today, -30)
      for (let day = 0; day <= 30; day++) {
        const date = addDays(first, day)
        ids.forEach((id, i) => {
          // One in fifteen absent; some late; today only the morning so far.
          if ((i + day) % 15 === 0) return
          const late = (i + day) % 7 === 0 ? 25 : 0
          const times = date === today ? [7 * 60 + 50 + late] : [7 * 60 + 50 + late, 12 * 60, 12 * 60 + 40, 17 * 60 + 5]
          for (const minute of times) punches.push({deviceKey: 'GATE-1', deviceId: gate.device.id, deviceUserId: `E${String(i + 1).padStart(4, '0')}`, employeeId: id, instant: clock.at(date, minute + (i % 5)), source: 'http:push-log'})
        })
      }
      insertPunches(store, punches)
      const started = performance.now()
      recomputeRange(store, {from: first, to: today}, now)
      console.log(`scale: ${punches.length} punches, computed in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    } finally {
      store.close()
    }
    serve = await spawnServe(['--db', file, '--log-level', 'warn'])
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    if (serve) {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
    temp?.cleanup()
  })

  it('loads with the figures of attend report daily while punches go on being acknowledged, and finds one person among those in', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${serve.url}/`)
    await page.fill('#key', readKey)
    const clock = LocalClock.for(zone)
    const started = performance.now()
    // The page loads (and its reads run) while a terminal pushes: every batch is acknowledged.
    const [, ...pushed] = await Promise.all([
      page.click('button[type=submit]'),
      ...Array.from({length: 20}, (_, i) =>
        postJson(`${serve.url}/api/v1/biometric/push-log`, {logs: [{user_id: `E${String(i + 1).padStart(4, '0')}`, timestamp: `${today} ${clock.time(Date.now() - 60_000)}:${String(i).padStart(2, '0')}`}]}, {authorization: `Bearer ${gateToken}`}),
      ),
    ])
    expect(pushed.map((r) => r.status)).toEqual(Array(20).fill(200))
    await page.waitForSelector('#live-state.online')
    await page.waitForSelector('#month-chart svg')
    const loaded = performance.now() - started
    const domNodes = await page.locator('*').count()
    console.log(`scale: page signed in and live in ${loaded.toFixed(0)} ms, ${domNodes} elements`)

    const daily = await runJson<{counts: Record<string, number>; rows: {late_minutes: number; punches: {ignored: boolean}[]}[]}>(['report', 'daily', '--db', file])
    const tile = async (name: string) => Number(await page.locator(`[data-count="${name}"] .value`).textContent())
    // The page may have rebuilt its figures after the pushed punches: compare once both agree on them.
    await expect
      .poll(async () => ({present: await tile('present'), absent: await tile('absent'), pending: await tile('pending'), late: await tile('late')}), {timeout: 10_000})
      .toEqual({present: daily.counts.present, absent: daily.counts.absent, pending: daily.counts.pending, late: daily.rows.filter((r) => r.late_minutes > 0).length})
    expect(await page.locator('#departments tbody tr').count()).toBe(DEPARTMENTS)

    const inNow = Number(await page.locator('#in-now-count').textContent())
    expect(inNow).toBeGreaterThan(800)
    expect(await page.locator('#in-now-list li').count()).toBe(inNow)
    await page.fill('#in-now-filter', 'Person 999')
    await expect.poll(() => page.locator('#in-now-list li').allTextContents()).toEqual([expect.stringMatching(/^Person 999 E0999 · Department 19/)])
    await page.fill('#in-now-filter', '')
    expect(await page.locator('#month-chart rect.bar').count()).toBe(Number(today.slice(8)))
    expect(await page.locator('#punch-list li').count()).toBe(50)
    await page.close()
  })
})
