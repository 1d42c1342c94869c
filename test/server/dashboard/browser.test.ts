import crypto from 'node:crypto'
import fs from 'node:fs'
import type {Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openStore} from '../../../src/db/open.js'
import {relativeTime} from '../../../src/devices/presence.js'
import {LocalClock} from '../../../src/time/local-clock.js'
import {runAttend, tempDir} from '../../helpers/cli.js'
import {pdfPages} from '../../reports/pdf-text.js'
import {postJson} from '../helpers.js'
import {spawnServe, type ServeProcess} from '../spawn-serve.js'
import {launchChromium, type Browser} from './browser.js'
import {buildSite, morningTraffic, SCRIPT_DEPARTMENT, SCRIPT_NAME, type Site} from './site.js'

/** The browser globals the checks read in the page (this file is compiled for Node, without the DOM library). */
interface PageWindow {
  localStorage: {length: number}
  sessionStorage: {length: number}
  innerWidth: number
  notReloaded?: boolean
  document: {documentElement: unknown; querySelector(selector: string): unknown}
  getComputedStyle(element: unknown): {gridTemplateColumns: string; fontSize: string}
}

/**
 * The status page end to end: a real `attend serve` on a real port, a real headless Chromium, the
 * school's morning sent through the real device APIs.
 */
describe('attend serve status page, in a real browser', {timeout: 120_000}, () => {
  let temp: ReturnType<typeof tempDir>
  let site: Site
  let serve: ServeProcess
  let browser: Browser
  let page: Page
  const dialogs: string[] = []

  beforeAll(async () => {
    temp = tempDir('attend-dashboard-')
    site = await buildSite(temp.dir)
    serve = await spawnServe(['--db', site.file, '--log-level', 'warn'])
    await morningTraffic(site, serve.url)
    browser = await launchChromium()
    page = await browser.context.newPage()
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    if (serve && serve.child.exitCode === null) {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
    temp?.cleanup()
  })

  const signIn = async (key: string) => {
    await page.fill('#key', key)
    await page.click('form[action="/dashboard/sign-in"] button[type=submit]')
  }

  it('refuses a wrong key and a key without the read scope, saying why', async () => {
    const first = await page.goto(`${serve.url}/`)
    expect(first?.status()).toBe(200)
    expect(await page.locator('#key').isVisible()).toBe(true)

    await signIn('att_00000000_thisIsNotAKeyAtAllButLongEnough')
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toBe('That API key is not valid: it is unknown or has been revoked (attend keys list shows the keys).')

    await signIn(site.ingestKey)
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toBe(
      'The API key "gate-sync" cannot open the status page: it lacks the read scope (its scopes: ingest). Create one with attend keys create --name wall-screen --scopes read.',
    )
    expect(await browser.context.cookies()).toEqual([])
    // The key went in a POST body, never into an address.
    expect(page.url()).not.toContain(site.ingestKey)
  })

  it('signs in with a read key into an HttpOnly, SameSite=Strict session cookie whose id the store keeps only as a hash', async () => {
    await signIn(site.readKey)
    await page.waitForSelector('#live-state.online')
    expect(page.url()).toBe(`${serve.url}/`)
    const cookies = await browser.context.cookies()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({name: 'attend_session', httpOnly: true, sameSite: 'Strict', path: '/'})
    expect(cookies[0].value).not.toContain(site.readKey)
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).localStorage.length + (globalThis as unknown as PageWindow).sessionStorage.length)).toBe(0)

    const store = openStore(site.file, {readonly: true})
    try {
      const stored = store.sqlite.prepare('SELECT id_hash AS idHash, expires_at AS expiresAt FROM dashboard_sessions').all() as {idHash: string; expiresAt: number}[]
      expect(stored).toEqual([{idHash: crypto.createHash('sha256').update(cookies[0].value).digest('hex'), expiresAt: expect.any(Number)}])
      expect(stored[0].expiresAt).toBeGreaterThan(Date.now())
    } finally {
      store.close()
    }
    expect(await page.locator('#signed-in').textContent()).toBe('key “wall-screen”')
  })

  it("shows today's figures exactly as attend report daily --format json counts them, whole and per department", async () => {
    const printed = await runAttend(['report', 'daily', '--db', site.file, '--format', 'json'])
    expect(printed.exitCode).toBe(0)
    const daily = JSON.parse(printed.stdout) as {counts: Record<string, number>; rows: {department: string | null; status: string; late_minutes: number}[]}
    const tile = (name: string) => page.locator(`[data-count="${name}"] .value`).textContent()
    const late = daily.rows.filter((row) => row.late_minutes > 0).length
    expect({present: await tile('present'), late: await tile('late'), absent: await tile('absent'), leave: await tile('leave'), pending: await tile('pending')}).toEqual({
      present: String(daily.counts.present),
      late: String(late),
      absent: String(daily.counts.absent),
      leave: String(daily.counts.leave),
      pending: String(daily.counts.pending),
    })
    // The school's morning: Alice and Bob present (Bob late), Carol absent, Dan on leave; Eve's
    // evening shift, Frank's and the markup-named person's day shift not over yet.
    expect(daily.counts).toMatchObject({present: 2, absent: 1, leave: 1, pending: 3})
    expect(late).toBe(2)

    const rows = await page.locator('#departments tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
    const expected = ['Teaching', 'Admin', SCRIPT_DEPARTMENT].map((department) => {
      const own = daily.rows.filter((row) => row.department === department)
      const count = (status: string) => String(own.filter((row) => row.status === status).length)
      return [department, String(own.length), count('present'), String(own.filter((row) => row.late_minutes > 0).length), count('absent'), count('leave'), count('pending')]
    })
    expect(rows.sort()).toEqual(expected.sort())
  })

  it('renders a name made of markup as text: no element from it, no script run', async () => {
    const inNow = await page.locator('#in-now-list li').allTextContents()
    expect(inNow.some((text) => text.startsWith(`${SCRIPT_NAME} E007`))).toBe(true)
    expect(await page.locator('#punch-list').textContent()).toContain(SCRIPT_NAME)
    expect(await page.locator('#departments').textContent()).toContain(SCRIPT_DEPARTMENT)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('#departments b').count()).toBe(0)
    expect(dialogs).toEqual([])
    const response = await page.request.get(`${serve.url}/dashboard`)
    expect(response.headers()['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
  })

  it('lists who is in now with their last punch, and marks an unmapped device user with the command that maps them', async () => {
    const inNow = await page.locator('#in-now-list li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-code'), li.querySelector('.when')?.textContent]))
    expect(inNow).toEqual([
      ['E007', '09:10 · last 09:10'],
      ['E006', '08:55 · last 08:55'],
    ])
    const unmapped = page.locator('#punch-list li', {hasText: 'Unmapped user 9999'})
    expect(await unmapped.locator('.meta').textContent()).toBe('Front gate (GATE-1) · push-log')
    expect(await unmapped.locator('code.cmd').textContent()).toBe('attend map add 9999 EMPLOYEE_CODE --device GATE-1')
  })

  it('shows a punch posted through push-log within seconds, without a reload', async () => {
    await page.evaluate(() => ((globalThis as unknown as PageWindow).notReloaded = true))
    const now = Date.now()
    const time = LocalClock.for(site.zone).timeWithSeconds(now)
    const pushed = await postJson(`${serve.url}/api/v1/biometric/push-log`, {logs: [{user_id: 'E006', timestamp: site.at(time)}]}, {authorization: `Bearer ${site.gateToken}`})
    expect(pushed.body).toMatchObject({stored: 1})

    const arrived = page.locator('#punch-list li', {hasText: 'Frank Ouma'}).filter({hasText: time})
    await arrived.waitFor({timeout: 5000})
    expect(Date.now() - now).toBeLessThan(5000)
    expect(await arrived.locator('.meta').textContent()).toBe('Front gate (GATE-1) · push-log')
    // Frank's second punch checks him out: he leaves "In now" once today's figures are rebuilt.
    await expect.poll(() => page.locator('#in-now-list li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-code'))), {timeout: 10_000}).toEqual(['E007'])
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).notReloaded)).toBe(true)
  })

  it('shows devices: online, a device going offline, the failed pull of an agent-mode device, refused serials', async () => {
    const gate = page.locator('#device-table tr[data-serial="GATE-1"]')
    expect(await gate.getAttribute('data-presence')).toBe('online')
    expect(await page.locator('#device-table tr[data-serial="BACK-2"]').getAttribute('data-presence')).toBe('never seen')
    expect(await page.locator('#device-table tr[data-serial="STAFF-3"] .pull').textContent()).toMatch(/^Last pull failed: no TCP connection to 127\.0\.0\.1:\d+: connection refused/)
    // The whole list: one serial, nothing else (no stray "null" after it).
    expect(await page.locator('#refused-list').textContent()).toMatch(/^GHOST-99 · 1 attempt, last (just now|\d+ s ago) from 127\.0\.0\.1$/)

    // The gate falls silent: its last request was six minutes ago.
    const store = openStore(site.file)
    try {
      store.sqlite.prepare("UPDATE devices SET last_seen_at = ? WHERE serial = 'GATE-1'").run(Date.now() - 6 * 60_000)
    } finally {
      store.close()
    }
    await page.locator('#device-table tr[data-serial="GATE-1"][data-presence="offline"]').waitFor({timeout: 5000})
    expect(await page.locator('#device-table tr[data-serial="GATE-1"] td.when').textContent()).toBe('6 min ago')
    expect(await devicesOnPage()).toEqual(await devicesListed())

    // A site whose terminals poll slowly allows them ten minutes: the gate is online again, on the
    // page as in attend devices list, without a reload.
    expect((await runAttend(['config', 'set', 'device-offline-after', '10m', '--db', site.file])).exitCode).toBe(0)
    await page.locator('#device-table tr[data-serial="GATE-1"][data-presence="online"]').waitFor({timeout: 5000})
    expect(await devicesOnPage()).toEqual(await devicesListed())
    expect((await runAttend(['config', 'set', 'device-offline-after', '5m', '--db', site.file])).exitCode).toBe(0)
    await page.locator('#device-table tr[data-serial="GATE-1"][data-presence="offline"]').waitFor({timeout: 5000})
  })

  it('lists the 20 most recently refused serials and counts the rest', async () => {
    for (let i = 1; i <= 22; i++) {
      expect((await fetch(`${serve.url}/iclock/cdata?SN=SCAN-${i}&options=all`)).status).toBe(401)
      // Each knock on a later millisecond: the list is by last sighting.
      await new Promise((resolve) => setTimeout(resolve, 3))
    }
    await page.locator('#refused-list li[data-more="3"]').waitFor({timeout: 5000})
    const listed = await page.locator('#refused-list li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-serial') ?? li.textContent))
    expect(listed).toEqual([...Array.from({length: 20}, (_, i) => `SCAN-${22 - i}`), 'and 3 more (attend devices list shows them all)'])
  })

  /** Each device's presence and "last seen" as the page shows them. */
  const devicesOnPage = () =>
    page.locator('#device-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-serial'), tr.getAttribute('data-presence'), tr.querySelector('td.when')?.textContent]))

  /** The same, as attend devices list says it (its --json, in its own words). */
  const devicesListed = async () => {
    const listed = await runAttend(['devices', 'list', '--db', site.file, '--json'])
    expect(listed.exitCode).toBe(0)
    const now = Date.now()
    return (JSON.parse(listed.stdout) as {devices: {serial: string; presence: string | null; lastSeenAt: number | null}[]}).devices.map((d) => [
      d.serial,
      d.presence ?? 'never seen',
      relativeTime(d.lastSeenAt, now),
    ])
  }

  it("charts this month's attendance per day", async () => {
    const bars = await page.locator('#month-chart rect.bar').evaluateAll((rects) => rects.map((r) => [r.getAttribute('data-date'), r.getAttribute('data-percent')]))
    const today = bars.at(-1)!
    expect(today[0]).toBe(site.today)
    // Today so far: 2 present of 3 due (the absent one); leave and the running shifts are not due.
    expect(today[1]).toBe('66.67')
    expect(bars).toHaveLength(Number(site.today.slice(8)))
  })

  it("downloads the month's register as a PDF, through the report code of /v1/reports", async () => {
    const month = site.today.slice(0, 7)
    await page.fill('#download-month', month)
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#downloads button[value="register.pdf"]')])
    expect(download.suggestedFilename()).toBe(`register-${month}-01-to-${site.today.slice(0, 8)}${lastDay(month)}.pdf`)
    const pages = await pdfPages(fs.readFileSync((await download.path())!))
    expect(pages[0]).toContain('Riverside Primary School')
    expect(pages[0]).toContain('Attendance register')
    expect(pages[0]).toContain('E001 Alice Mwangi')
    // Printed as text (cut to its column), like every other name.
    expect(pages[0]).toMatch(/ E007 <img src=x \S*… /)

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#downloads button[value="summary.csv"]')])
    const lines = fs.readFileSync((await csv.path())!, 'utf8').trim().split('\n')
    expect(lines[0]).toMatch(/^user_id,code,name,department,/)
    expect(lines).toHaveLength(8)
  })

  it('is readable on a phone and on a wall screen', async () => {
    const phone = await browser.context.newPage()
    await phone.setViewportSize({width: 390, height: 844})
    await phone.goto(`${serve.url}/dashboard`)
    await phone.waitForSelector('#live-state.online')
    const layout = () =>
      phone.evaluate(() => {
        const w = globalThis as unknown as PageWindow
        const root = w.document.documentElement as {scrollWidth: number}
        return {
          fits: root.scrollWidth <= w.innerWidth,
          columns: w.getComputedStyle(w.document.querySelector('.grid')).gridTemplateColumns.split(' ').length,
          fontSize: parseFloat(w.getComputedStyle(root).fontSize),
        }
      })
    expect(await layout()).toEqual({fits: true, columns: 1, fontSize: 15})
    await phone.setViewportSize({width: 1920, height: 1080})
    expect(await layout()).toEqual({fits: true, columns: 3, fontSize: 19})
    await phone.close()
  })

  it('signs out: the cookie is cleared and the session is gone from the store', async () => {
    const [cookie] = await browser.context.cookies()
    await page.click('form[action="/dashboard/sign-out"] button')
    await page.waitForSelector('#key')
    expect(await browser.context.cookies()).toEqual([])
    const reused = await fetch(`${serve.url}/dashboard/api/state`, {headers: {cookie: `attend_session=${cookie.value}`}})
    expect(reused.status).toBe(401)
    const store = openStore(site.file, {readonly: true})
    try {
      expect(store.sqlite.prepare('SELECT count(*) FROM dashboard_sessions').pluck().get()).toBe(0)
    } finally {
      store.close()
    }
  })

  it('says when the live feed is disconnected', async () => {
    await signIn(site.readKey)
    await page.waitForSelector('#live-state.online')
    serve.child.kill('SIGTERM')
    await serve.exited
    await page.locator('#banner').waitFor({state: 'visible', timeout: 10_000})
    expect(await page.locator('#banner').textContent()).toMatch(/^The live feed is disconnected \(since \d\d:\d\d\): the figures below may be out of date\. Reconnecting…$/)
    expect(await page.locator('#live-state').textContent()).toBe('Disconnected')
    expect(dialogs).toEqual([])
  })
})

function lastDay(month: string): string {
  const [year, number] = month.split('-').map(Number)
  return String(new Date(Date.UTC(year, number, 0)).getUTCDate()).padStart(2, '0')
}
