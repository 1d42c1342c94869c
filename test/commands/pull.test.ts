import {spawn} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'

import {writeSettings} from '../../src/store/sqlite/directory/settings.js'
import {punches} from '../agent/fixtures.js'
import {useEmulators} from '../agent/helpers.js'
import {errorText, runAttend, runJson, tempDir} from '../helpers/cli.js'
import {withStoreAt} from '../helpers/store.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
const NOW = '2026-03-12T09:00:00Z'
let dbCount = 0
const emulator = useEmulators()

/** A fresh store (site zone Africa/Nairobi) and its environment. */
function site(): {db: string; env: NodeJS.ProcessEnv} {
  const db = path.join(tmp.dir, `pull-${++dbCount}.db`)
  withStoreAt(db, (store) => writeSettings(store, {timezone: 'Africa/Nairobi'}, Date.parse(NOW)))
  return {db, env: {ATTEND_DB: db, ATTEND_NOW: NOW}}
}

async function addAgent(env: NodeJS.ProcessEnv, e: {port: number}, serial = 'CDQ9192960002', extra: string[] = []): Promise<void> {
  const result = await runAttend(['devices', 'add', '--serial', serial, '--name', serial === 'CDQ9192960002' ? 'Main gate' : 'Back door', '--mode', 'agent', '--ip', '127.0.0.1', '--port', String(e.port), ...extra], {env})
  expect(result.stderr).toBe('')
  expect(result.exitCode).toBe(0)
}

const count = (db: string): number => withStoreAt(db, (store) => (store.sqlite.prepare('SELECT count(*) AS n FROM punches').get() as {n: number}).n)

describe('devices add/update for agent mode', () => {
  it('stores the address and the comm key, and never shows the key', async () => {
    const {db, env} = site()
    const added = await runAttend(['devices', 'add', '--serial', 'A6F5190460123', '--name', 'Back door', '--mode', 'agent', '--ip', '192.168.1.201', '--comm-key', '654321'], {env})
    expect(added.stdout.split('\n')[0]).toBe('Registered A6F5190460123 (Back door): agent mode at 192.168.1.201:4370 (auto, comm key set), direction auto.')
    const shown = await runAttend(['devices', 'show', 'A6F5190460123'], {env})
    expect(shown.stdout).toContain('Address:    192.168.1.201:4370\nProtocol:   auto (TCP, then UDP)\nComm key:   set\nLast pull:  never\n')
    const json = await runJson<Record<string, unknown>>(['devices', 'show', 'A6F5190460123'], {env})
    expect(json).toMatchObject({ip: '192.168.1.201', port: null, protocol: null, commKeySet: true, lastPull: null})
    for (const output of [added.stdout, shown.stdout, JSON.stringify(json), (await runAttend(['devices', 'list', '--json'], {env})).stdout]) {
      expect(output).not.toContain('654321')
    }
    expect(withStoreAt(db, (store) => store.sqlite.prepare(`SELECT comm_key FROM devices`).get())).toEqual({comm_key: 654321})

    const updated = await runAttend(['devices', 'update', 'A6F5190460123', '--protocol', 'udp', '--port', '4371', '--comm-key', 'none'], {env})
    expect(updated.stdout).toBe('Updated A6F5190460123 (Back door): active, agent mode at 192.168.1.201:4371 (udp), direction auto, zone site.\n')
  })

  it.each([
    [['--mode', 'agent'], 'Device ZK1 is in agent mode: give its address with --ip (e.g. --ip 192.168.1.201) so attend pull can reach it.'],
    [['--ip', '192.168.1.201', '--comm-key', '5'], '--ip, --comm-key apply to agent-mode devices, which attend pull reads: add --mode agent.'],
    [['--mode', 'agent', '--ip', '192.168.1.300'], 'Invalid --ip "192.168.1.300": expected the device\'s address on the LAN, such as 192.168.1.201.'],
    [['--mode', 'agent', '--ip', '10.0.0.2', '--port', '70000'], 'Invalid --port "70000": expected a TCP/UDP port from 1 to 65535 (ZKTeco terminals use 4370).'],
    [['--mode', 'agent', '--ip', '10.0.0.2', '--comm-key', '12x'], "Invalid --comm-key: expected the number set on the device's Comm menu, from 0 to 999999 (or none)."],
    [['--mode', 'agent', '--ip', '10.0.0.2', '--comm-key', '1000000'], "Invalid --comm-key: expected the number set on the device's Comm menu, from 0 to 999999 (or none)."],
  ])('refuses %j with exit 2', async (flags, message) => {
    const {env} = site()
    const result = await runAttend(['devices', 'add', '--serial', 'ZK1', '--name', 'Gate', ...flags], {env})
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe(`Error: ${message}`)
    expect(result.stderr).not.toContain('12x')
  })

  it('needs an address before a push device becomes an agent device', async () => {
    const {env} = site()
    await runAttend(['devices', 'add', '--serial', 'ZK2', '--name', 'Gate'], {env})
    const result = await runAttend(['devices', 'update', 'ZK2', '--mode', 'agent'], {env})
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toBe('Error: Device ZK2 is in agent mode: give its address with --ip (e.g. --ip 192.168.1.201) so attend pull can reach it.')
    expect((await runAttend(['devices', 'update', 'ZK2', '--mode', 'agent', '--ip', 'gate-2.school.lan'], {env})).exitCode).toBe(0)
  })
})

describe('attend pull', () => {
  it('prints one line per device, stores the records once, and says so', async () => {
    const {db, env} = site()
    const e = await emulator({records: punches(1250)})
    await addAgent(env, e)
    const first = await runAttend(['pull'], {env})
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toMatch(/^CDQ9192960002 \(Main gate\): 1250 records read, 1250 new, 0 duplicates, 0 rejected, 4 users in \d+\.\d s over TCP\n$/)
    expect(count(db)).toBe(1250)
    const again = await runJson<{devices: {recordsRead: number; recordsNew: number; duplicates: number}[]; failed: number}>(['pull', '--device', 'CDQ9192960002'], {env})
    expect(again).toMatchObject({failed: 0, devices: [{recordsRead: 1250, recordsNew: 0, duplicates: 1250}]})
    expect(count(db)).toBe(1250)
    const unmapped = await runAttend(['map', 'list', '--unmapped'], {env})
    expect(unmapped.stdout).toMatch(/20260000123456\s+Daniel Kimani Mwangi\s+CDQ9192960002\s+312/)
    const shown = await runAttend(['devices', 'show', 'CDQ9192960002'], {env})
    expect(shown.stdout).toContain('Last pull:  2026-03-12 12:00, 1250 records read, 0 new, 4 users\n')
    expect(shown.stdout).toContain('Presence:   online\nLast seen:  2026-03-12 12:00 (just now)\n')
  })

  it('names each failing device with its reason, pulls the others, and exits 3', async () => {
    const {db, env} = site()
    const good = await emulator({serial: 'A6F5190460123', records: punches(10)})
    const wrongKey = await emulator({commKey: 111})
    await addAgent(env, good, 'A6F5190460123')
    await addAgent(env, wrongKey, 'CDQ9192960002', ['--comm-key', '222'])
    const result = await runAttend(['pull'], {env})
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toMatch(/^A6F5190460123 \(Back door\): 10 records read, 10 new, 0 duplicates, 0 rejected, 4 users in \d+\.\d s over TCP\nTotal: 2 devices, 1 failed; 10 records read, 10 new, 0 rejected\.\n$/)
    expect(result.stderr).toBe(
      "CDQ9192960002 (Main gate): failed: the device refused the comm key: set the key from the device's Comm menu with attend devices update CDQ9192960002 --comm-key N\n",
    )
    expect(count(db)).toBe(10)
  })

  it('finishes promptly when nothing listens at a device\'s address, over TCP or UDP', async () => {
    const {env} = site()
    const gone = await emulator()
    await addAgent(env, gone)
    await gone.close()
    const started = Date.now()
    const result = await runAttend(['pull'], {env})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toMatch(/^CDQ9192960002 \(Main gate\): failed: no answer on 127\.0\.0\.1:\d+ over TCP \(.*connection refused.*\) or UDP \(.*\)\. If the address is right/)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('lists rejected records on stderr and exits 3', async () => {
    const {env} = site()
    const e = await emulator({records: [{userId: '1001', time: '2026-03-02 08:00:00'}, {userId: '1002', time: '2026-02-30 08:00:00'}]})
    await addAgent(env, e)
    const result = await runAttend(['pull'], {env})
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toMatch(/2 records read, 1 new, 0 duplicates, 1 rejected/)
    expect(result.stderr).toBe('  record 2 (user 1002): impossible date 2026-02-30 08:00:00: February 2026 has 28 days on the device clock\n')
  })

  it('asks before --clear-after, and clears after the commit with --yes', async () => {
    const {db, env} = site()
    const e = await emulator({records: punches(300)})
    await addAgent(env, e)
    const refused = await runAttend(['pull', '--clear-after'], {env})
    expect(refused.exitCode).toBe(2)
    expect(errorText(refused.stderr)).toBe('Error: --clear-after deletes the attendance log on the device once its records are stored here: confirm with --yes (there is no terminal to ask on).')
    expect(e.log).toEqual([])
    const cleared = await runAttend(['pull', '--clear-after', '--yes'], {env})
    expect(cleared.exitCode).toBe(0)
    expect(cleared.stdout).toMatch(/300 records read, 300 new, .*; device log cleared\n$/)
    expect(count(db)).toBe(300)
    expect(e.records).toEqual([])
  })

  it.each([
    [['--device', 'PUSH1'], 2, 'Error: Device PUSH1 is in push mode: it sends its punches to attend serve. attend pull reads agent-mode devices (attend devices update PUSH1 --mode agent --ip …).'],
    [['--device', 'NOPE'], 1, 'Error: Unknown device serial "NOPE": register it with attend devices add, or see attend devices list.'],
    [[], 1, 'Error: No active agent-mode devices to pull: register one with attend devices add --serial SN --name NAME --mode agent --ip 192.168.1.201.'],
    [['--live', '--watch', '5'], 2, '--watch=5 cannot also be provided when using --live'],
    [['--timeout', '0'], 2, 'Invalid --timeout "0": expected seconds, more than 0 and at most 600.'],
  ])('refuses %j', async (flags, exit, message) => {
    const {env} = site()
    await runAttend(['devices', 'add', '--serial', 'PUSH1', '--name', 'Gate'], {env})
    const result = await runAttend(['pull', ...flags], {env})
    expect(result.exitCode).toBe(exit)
    expect(errorText(result.stderr)).toContain(message)
  })

  it('--watch pulls again until interrupted, and leaves the device enabled', async () => {
    const {db, env} = site()
    const e = await emulator({records: punches(20)})
    await addAgent(env, e)
    const child = spawnAttend(['pull', '--watch', '1'], env)
    await child.waitFor(/20 records read, 0 new, 20 duplicates/)
    child.process.kill('SIGINT')
    expect(await child.exited).toBe(0)
    expect(child.stdout()).toMatch(/^CDQ9192960002 \(Main gate\): 20 records read, 20 new, .*\nCDQ9192960002 \(Main gate\): 20 records read, 0 new, 20 duplicates/)
    expect(count(db)).toBe(20)
    expect(e.enabled).toBe(true)
  })

  it('--live stores punches as they happen and stops on Ctrl-C', async () => {
    const {db, env} = site()
    const e = await emulator({records: punches(5)})
    await addAgent(env, e)
    const child = spawnAttend(['pull', '--live'], env)
    await child.waitFor(/waiting for punches/)
    e.punch({userId: '1002', time: '2026-03-12 08:05:09', state: 0, verify: 15})
    await child.waitFor(/08:05:09/)
    child.process.kill('SIGINT')
    expect(await child.exited).toBe(0)
    expect(child.stdout()).toBe(
      'CDQ9192960002: connected over TCP; caught up (5 records read, 5 new); waiting for punches\n' +
        'CDQ9192960002: 2026-03-12 08:05:09  user 1002 (Brian Otieno, unmapped)  state 0  stored\n',
    )
    expect(count(db)).toBe(6)
    expect(e.eventSessions).toBe(0)
  })
})

describe('attend devices probe and time', () => {
  it('probes a registered device: serial, model, counts, capacity, clock and drift', async () => {
    const {env} = site()
    const e = await emulator({records: punches(40), clock: '2026-03-12 12:01:30', deviceName: 'K40', commKey: 42})
    await addAgent(env, e, 'CDQ9192960002', ['--comm-key', '42'])
    const result = await runAttend(['devices', 'probe', 'CDQ9192960002'], {env})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      new RegExp(
        `^Address: {6}127\\.0\\.0\\.1:${e.port} \\(TCP\\)\\nSerial: {7}CDQ9192960002 \\(registered: Main gate, agent mode\\)\\nModel: {8}K40\\nPlatform: {5}ZMM220_TFT\\nFirmware: {5}Ver 6\\.60 Apr 28 2017\\n` +
          'Users: {8}4 of 3000\\nFingerprints: 8 of 3000\\nFaces: {8}-\\nRecords: {6}40 of 100000\\nDevice time: {2}2026-03-12 12:01:3\\d \\(Africa/Nairobi\\)\\nOur time: {5}2026-03-12 12:00:00\\nDrift: {8}\\+1 min 3\\d s \\(the device is ahead\\)\\n$',
      ),
    )
  })

  it('probes an unregistered address and says so', async () => {
    const {env} = site()
    const e = await emulator({tcp: false})
    const result = await runJson<{protocol: string; serial: string; registered: null; serialMatches: null}>(['devices', 'probe', '--ip', '127.0.0.1', '--port', String(e.port)], {env})
    expect(result).toMatchObject({protocol: 'udp', serial: 'CDQ9192960002', registered: null, serialMatches: null})
  })

  it('says plainly when nothing answers on the port, and points at push mode', async () => {
    const {env} = site()
    const e = await emulator({tcp: false})
    e.goSilent()
    const result = await runAttend(['devices', 'probe', '--ip', '127.0.0.1', '--port', String(e.port), '--timeout', '0.2'], {env})
    expect(result.exitCode).toBe(1)
    expect(errorText(result.stderr)).toBe(
      `Error: no answer on 127.0.0.1:${e.port} over TCP (no TCP connection to 127.0.0.1:${e.port}: connection refused (nothing listens on that port)) or UDP (no answer to CMD_CONNECT (1000) from 127.0.0.1:${e.port} within 0.2 s after 4 tries). ` +
        'If the address is right, the device may not speak the pull protocol on this port: many newer models only push (ADMS). Then register it in push mode (attend devices update SN --mode push) and point its Cloud Server / ADMS setting at attend serve.',
    )
  })

  it('warns when the registered address answers with another serial', async () => {
    const {env} = site()
    const e = await emulator({serial: 'AOXP182960456'})
    await addAgent(env, e)
    const result = await runAttend(['devices', 'probe', 'CDQ9192960002'], {env})
    expect(result.stdout).toContain('Serial:       AOXP182960456 (NOT the registered CDQ9192960002)\n')
    expect(result.stderr).toBe('Warning: this is not CDQ9192960002: attend pull would refuse it. Check the address, or register this device.\n')
  })

  it('shows the drift and sets the clock in the device zone', async () => {
    const {env} = site()
    const e = await emulator({clock: '2026-03-12 05:54:00'})
    await addAgent(env, e, 'CDQ9192960002', ['--timezone', 'Europe/Warsaw'])
    const shown = await runAttend(['devices', 'time', 'CDQ9192960002'], {env})
    expect(shown.stdout).toMatch(/^Device time: 2026-03-12 05:54:0\d \(Europe\/Warsaw\)\nOur time: {4}2026-03-12 10:00:00\nDrift: {7}-4 h 5 min 5\d s \(the device is behind\)\n$/)
    const synced = await runJson<{after: {deviceTime: string; driftSeconds: number}}>(['devices', 'time', 'CDQ9192960002', '--sync'], {env})
    expect(synced.after).toMatchObject({deviceTime: '2026-03-12 10:00:00', driftSeconds: 0})
    expect(e.clock).toMatch(/^2026-03-12 10:00:0\d$/)
  })
})

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The built CLI as a long-running process (for --watch and --live), with its output as it comes. */
function spawnAttend(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'run.js'), ...args], {cwd: root, env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['pipe', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  return {
    process: child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
      const end = Date.now() + timeoutMs
      while (!pattern.test(stdout)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}:\n${stdout}\n${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
  }
}

