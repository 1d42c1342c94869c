import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {chromium, type BrowserContext} from 'playwright-core'

/** Debian's chromium package (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** A real headless Chromium with a fresh profile of its own, removed on close. */
export async function launchChromium(options: {viewport?: {width: number; height: number}} = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: options.viewport ?? {width: 1280, height: 900},
    acceptDownloads: true,
  })
  return {
    context,
    async close() {
      await context.close()
      fs.rmSync(profile, {recursive: true, force: true})
    },
  }
}
