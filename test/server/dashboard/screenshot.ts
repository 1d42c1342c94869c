/**
 * Makes docs/dashboard.png, the README's picture of the status page: a real `attend serve` (built:
 * `npm run build` first) with the test school's morning in it, shown by headless Chromium.
 *
 *   npx tsx test/server/dashboard/screenshot.ts [OUTPUT.png] [--width 1400]
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {tempDir} from '../../helpers/cli.js'
import {spawnServe} from '../spawn-serve.js'
import {launchChromium} from './browser.js'
import {buildSite, monthHistory, morningTraffic} from './site.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const args = process.argv.slice(2)
const widthAt = args.indexOf('--width')
const width = widthAt >= 0 ? Number(args[widthAt + 1]) : 1400
const output = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--width') ?? path.join(root, 'docs', 'dashboard.png'))

const temp = tempDir('attend-screenshot-')
const site = await buildSite(temp.dir)
const serve = await spawnServe(['--db', site.file, '--log-level', 'warn'])
const browser = await launchChromium({viewport: {width, height: 900}})
try {
  await monthHistory(site, serve.url)
  await morningTraffic(site, serve.url)
  const page = await browser.context.newPage()
  if (process.env.DEBUG_PAGE) {
    page.on('console', (m) => console.log('console:', m.text()))
    page.on('pageerror', (e) => console.log('pageerror:', e.message))
    page.on('response', (r) => console.log('response:', r.status(), r.url()))
  }
  await page.goto(`${serve.url}/`)
  await page.fill('#key', site.readKey)
  await page.click('button[type=submit]')
  await page.waitForSelector('#live-state.online')
  await page.waitForSelector('#month-chart svg')
  fs.mkdirSync(path.dirname(output), {recursive: true})
  await page.screenshot({path: output, fullPage: true})
  console.log(`wrote ${output}`)
} finally {
  await browser.close()
  serve.child.kill('SIGTERM')
  await serve.exited
  temp.cleanup()
}
