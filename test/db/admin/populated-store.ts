import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {runAttend, tempDir} from '../../helpers/cli.js'

const fixtures = fileURLToPath(new URL('../../fixtures', import.meta.url))

/**
 * A site built through the CLI as an admin would: employees and devices imported and mapped,
 * shifts, a roster, holidays, leave, an API key, a device's log imported, manual punches (the last
 * removed again, so the punch counter is ahead of the highest id), attendance computed and one day
 * set by hand, a webhook subscribed to everything and one delivery run against a closed port (events,
 * deliveries and failed attempts). Every table a copy must carry has rows, with booleans, nulls and
 * reals among them.
 */
export async function populatedStore(): Promise<{dir: string; db: string; env: NodeJS.ProcessEnv; cleanup: () => void; removedPunchId: number}> {
  const {dir, cleanup} = tempDir('attend-copy-')
  const db = path.join(dir, 'site.db')
  const env = {ATTEND_DB: db, ATTEND_NOW: '2026-03-12T15:00:00Z'}
  const run = async (...args: string[]) => {
    const result = await runAttend(args, {env})
    // 3: partial (the fixtures hold a few rejected lines on purpose).
    if (result.exitCode !== 0 && result.exitCode !== 3) throw new Error(`attend ${args.join(' ')}: ${result.stderr}`)
    return result
  }
  await run('init', '--timezone', 'Africa/Nairobi', '--week-off', 'sat,sun')
  // Port 9 (discard) on loopback: nothing listens, every attempt is refused at once.
  await run('webhooks', 'add', 'http://127.0.0.1:9/hooks/attend', '--events', 'all', '--description', 'Payroll sync')
  await run('employees', 'import', path.join(fixtures, 'employees.csv'))
  await run('devices', 'add', '--serial', 'CDQ9192960002', '--name', 'Main gate', '--direction', 'in', '--location', 'Gate A')
  await run('devices', 'add', '--serial', 'ZK-HQ-01', '--name', 'Staff room')
  await run('map', 'import', path.join(fixtures, 'mappings.csv'))
  await run('map', 'add', '23', 'EMP003', '--device', 'ZK-HQ-01')
  await run('shifts', 'add', 'Day', '--start', '08:00', '--end', '17:00')
  await run('shifts', 'assign', 'Day', '--department', 'Teaching')
  await run('rosters', 'add', 'Guards', '--cycle', 'Day,Day,off')
  await run('holidays', 'import', path.join(fixtures, 'holidays-2026.csv'))
  await run('leaves', 'add', 'EMP002', '--from', '2026-03-10', '--to', '2026-03-11', '--type', 'sick')
  await run('keys', 'create', '--name', 'payroll', '--scopes', 'read')
  await run('import', path.join(fixtures, 'attlog.dat'), '--device', 'ZK-HQ-01')
  await run('devices', 'queue', 'ZK-HQ-01', '--info')
  await run('punches', 'add', 'EMP001', '--at', '2026-03-10 08:05', '--note', 'forgot card')
  const last = await run('punches', 'add', 'EMP001', '--at', '2026-03-10 17:30', '--json')
  const removedPunchId = (JSON.parse(last.stdout) as {id: number}).id
  await run('punches', 'remove', String(removedPunchId))
  await run('recompute', '--from', '2026-03-01', '--to', '2026-03-12')
  await run('attendance', 'set', 'EMP003', '2026-03-11', '--status', 'present', '--in', '08:00', '--out', '16:00', '--note', 'card reader down')
  await run('webhooks', 'deliver')
  return {dir, db, env, cleanup, removedPunchId}
}
