#!/usr/bin/env node
// bench/pull: `attend pull` of 100 000 attendance records (40-byte layout, 4 MB) from the device
// emulator of the tests (test/agent/emulator), run in its own process over real loopback sockets.
// Prints records/s for a first pull (all new) and a second (all duplicates), the split between
// transfer and storage, and the transfer against a baseline measured in the same run: the same
// bytes sent by the same emulator process over a plain TCP socket, with no protocol at all. The
// protocol read (one chunk in flight at a time) over TCP and UDP is also timed on its own.
// 200 device users match 200 employees by code, so storing recomputes their attendance days.
// `--quick` (or BENCH_QUICK=1) runs one round instead of the best of three.
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const here = fileURLToPath(import.meta.url)
const RECORDS = 100_000
const USERS = 200
const ZONE = 'Africa/Nairobi'
const NOW = Date.parse('2025-06-01T00:00:00Z')

if (process.argv[2] === '--emulator') await emulator()
else await main()

/** The device: the tests' emulator with the log, plus a raw socket that sends the same bytes. */
async function emulator() {
  const {ZkEmulator} = await import('../test/agent/emulator/zk-emulator.ts')
  const {encodeRecord, table} = await import('../test/agent/emulator/device-codec.ts')
  const {users, records} = dataset()
  const device = await ZkEmulator.start({serial: 'CDQ9192960002', users, records, recordLayout: 40, userLayout: 72})
  const uids = new Map(users.map((u) => [u.userId, u.uid]))
  const bytes = table(records.map((r) => encodeRecord(r, 40, uids.get(r.userId))))
  const raw = net.createServer((socket) => socket.end(bytes))
  await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve))
  process.stdout.write(JSON.stringify({port: device.port, raw: raw.address().port, bytes: bytes.length}) + '\n')
  process.stdin.resume()
  process.stdin.on('end', () => process.exit(0))
}

function dataset() {
  const users = Array.from({length: USERS}, (_, i) => ({uid: i + 1, userId: String(1001 + i), name: `Staff ${i + 1}`}))
  const from = Date.UTC(2025, 2, 3, 5, 0, 0)
  const records = Array.from({length: RECORDS}, (_, i) => ({
    userId: users[i % USERS].userId,
    time: new Date(from + i * 45_000).toISOString().slice(0, 19).replace('T', ' '),
    state: i % 2,
    verify: 1,
  }))
  return {users, records}
}

async function main() {
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
  const rounds = quick ? 1 : 3
  const dist = path.resolve(path.dirname(here), '..', 'dist')
  const {openStore} = await import(path.join(dist, 'db/open.js'))
  const {writeSettings} = await import(path.join(dist, 'store/sqlite/directory/settings.js'))
  const {createEmployee} = await import(path.join(dist, 'store/sqlite/directory/employees.js'))
  const {createDevice} = await import(path.join(dist, 'store/sqlite/devices.js'))
  const {pullDevice} = await import(path.join(dist, 'agent/pull.js'))
  const {ZkClient} = await import(path.join(dist, 'agent/zk/client.js'))
  const {Command} = await import(path.join(dist, 'agent/zk/constants.js'))
  const {decodeAttendanceLog} = await import(path.join(dist, 'agent/zk/records.js'))

  const child = spawn(process.execPath, ['--import', 'tsx', here, '--emulator'], {stdio: ['pipe', 'pipe', 'inherit'], cwd: path.dirname(here)})
  const info = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').once('data', (line) => resolve(JSON.parse(line)))
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)))
  })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attend-bench-pull-'))
  try {
    const mb = (info.bytes / 1e6).toFixed(1)
    console.log(`pull: ${RECORDS.toLocaleString('en')} records (40-byte layout, ${mb} MB), ${USERS} users; emulator in its own process, loopback`)

    // Untimed: the emulator encodes its log once (a device has it ready), and both sides warm up.
    await protocolTransfer(ZkClient, Command, info.port, 'tcp', info.bytes)
    await rawTransfer(info.raw, info.bytes)
    let raw = Infinity
    let decode = Infinity
    const protocol = {tcp: Infinity, udp: Infinity}
    let first
    let second
    for (let round = 0; round < rounds; round++) {
      raw = Math.min(raw, await rawTransfer(info.raw, info.bytes))
      for (const p of ['tcp', 'udp']) protocol[p] = Math.min(protocol[p], await protocolTransfer(ZkClient, Command, info.port, p, info.bytes))
      decode = Math.min(decode, await decodeTime(ZkClient, Command, decodeAttendanceLog, info.port))

      const file = path.join(dir, `round-${round}.db`)
      const store = openStore(file)
      try {
        writeSettings(store, {timezone: ZONE, weekOff: ['sat', 'sun']}, NOW)
        for (let i = 0; i < USERS; i++) createEmployee(store, {code: String(1001 + i), name: `Staff ${i + 1}`}, NOW)
        const {device} = createDevice(store, {serial: 'CDQ9192960002', name: 'Main gate', mode: 'agent', ip: '127.0.0.1', port: info.port, protocol: 'tcp'}, NOW)
        const options = {now: () => NOW, timeoutMs: 30_000}
        const a = await pullDevice(store, device, options)
        const b = await pullDevice(store, device, options)
        if (!a.ok || a.recordsNew !== RECORDS || !b.ok || b.duplicates !== RECORDS) throw new Error(`unexpected pulls: ${JSON.stringify({a, b})}`)
        if (!first || a.durationMs < first.durationMs) first = a
        if (!second || b.durationMs < second.durationMs) second = b
      } finally {
        store.close()
      }
    }

    const rate = (n, ms) => Math.round(n / (ms / 1000)).toLocaleString('en')
    const mbps = (ms) => `${(info.bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`
    const s = (ms) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`)
    const share = (part, whole) => `${Math.round((100 * part) / whole)}%`
    console.log(`raw socket, same bytes (baseline): ${s(raw).padStart(9)}  ${mbps(raw)}`)
    console.log(`protocol read over TCP:            ${s(protocol.tcp).padStart(9)}  ${mbps(protocol.tcp)}  (${Math.ceil(info.bytes / 0xffc0)} chunks, one in flight)`)
    console.log(`protocol read over UDP:            ${s(protocol.udp).padStart(9)}  ${mbps(protocol.udp)}  (${Math.ceil(info.bytes / 16384)} chunks of 1 KiB datagrams)`)
    console.log(`protocol rate / raw socket rate:   ${(raw / protocol.tcp).toFixed(2)} over TCP, ${(raw / protocol.udp).toFixed(2)} over UDP`)
    for (const [label, r] of [['attend pull, all new:       ', first], ['attend pull, all duplicates:', second]]) {
      console.log(
        `${label}      ${rate(RECORDS, r.durationMs)} records/s  (${s(r.durationMs)}: transfer ${s(r.transferMs)} = ${share(r.transferMs, r.durationMs)}, storage ${s(r.storeMs)} = ${share(r.storeMs, r.durationMs)})`,
      )
    }
    console.log(`decoding the 100 000 records alone: ${s(decode).padStart(9)}  (part of the pull's transfer, with the session, users, disable/enable)`)
  } finally {
    child.stdin.end()
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

/** The same bytes from the same process over a bare TCP connection: what the wire alone costs. */
function rawTransfer(port, expected) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let received = 0
    const socket = net.connect(port, '127.0.0.1')
    socket.on('data', (chunk) => (received += chunk.length))
    socket.on('error', reject)
    socket.on('end', () => (received === expected ? resolve(performance.now() - started) : reject(new Error(`raw: ${received} of ${expected} bytes`))))
  })
}

/** Decoding the log into records (what the pull does after the read), timed alone. */
async function decodeTime(ZkClient, Command, decodeAttendanceLog, port) {
  const client = await ZkClient.connect({host: '127.0.0.1', port, protocol: 'tcp', timeoutMs: 30_000})
  try {
    const data = await client.readBuffer(Command.ATTLOG_RRQ)
    const started = performance.now()
    const {records} = decodeAttendanceLog(data, RECORDS, [])
    const ms = performance.now() - started
    if (records.length !== RECORDS) throw new Error(`decoded ${records.length} records`)
    return ms
  } finally {
    await client.disconnect()
  }
}

/** The log read through the protocol alone (session, PREPARE_BUFFER, chunks, FREE_DATA): no decoding, no store. */
async function protocolTransfer(ZkClient, Command, port, protocol, expected) {
  const client = await ZkClient.connect({host: '127.0.0.1', port, protocol, timeoutMs: 30_000})
  try {
    const started = performance.now()
    const data = await client.readBuffer(Command.ATTLOG_RRQ)
    const ms = performance.now() - started
    if (data.length !== expected) throw new Error(`${protocol}: ${data.length} of ${expected} bytes`)
    return ms
  } finally {
    await client.disconnect()
  }
}
