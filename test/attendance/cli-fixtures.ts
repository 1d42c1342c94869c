import path from 'node:path'

import {openStore} from '../../src/db/open.js'
import {ingestPunches} from '../../src/store/sqlite/ingest/pipeline.js'
import {runAttend, tempDir} from '../helpers/cli.js'

/**
 * A CLI test site: a store file initialized through the built binary, with a pinned "now" so
 * pending/absent never depends on when the tests run.
 */
export async function cliSite(now = '2026-03-06T17:00:00Z', timezone = 'Africa/Nairobi') {
  const {dir, cleanup} = tempDir()
  const db = path.join(dir, 'attend.db')
  const env = {ATTEND_DB: db, ATTEND_NOW: now}
  const run = (...args: string[]) => runAttend(args, {env})
  const init = await run('init', '--timezone', timezone, '--week-off', 'sat,sun')
  if (init.exitCode !== 0) throw new Error(init.stderr)
  return {
    dir,
    db,
    env,
    run,
    cleanup,
    async employee(code: string, department?: string) {
      const result = await run('employees', 'add', '--code', code, '--name', `Employee ${code}`, ...(department ? ['--department', department] : []))
      if (result.exitCode !== 0) throw new Error(result.stderr)
    },
    /** Punches as a device sends them: `CODE YYYY-MM-DD HH:MM`, wall-clock in the site zone. */
    punches(...lines: string[]) {
      const store = openStore(db)
      try {
        ingestPunches(
          store,
          lines.map((line) => {
            const [user, date, time] = line.split(' ')
            return {deviceUserId: user, time: {kind: 'wall' as const, local: `${date}T${time}:00`}, timeText: `${date} ${time}`, deviceSerial: 'GATE1'}
          }),
          {source: 'test', now: Date.parse(now)},
        )
      } finally {
        store.close()
      }
    },
  }
}
