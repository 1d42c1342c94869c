import {afterEach, beforeEach} from 'vitest'

import {type Device} from '../../src/devices/service.js'
import {GroupCommit} from '../../src/store/sqlite/group-commit.js'
import {createDevice} from '../../src/store/sqlite/devices.js'
import type {AttendStore} from '../../src/store/port.js'
import {sqliteAttendStore} from '../../src/store/sqlite/port.js'
import {testStore} from '../helpers/store.js'
import {ZkEmulator, type EmulatorOptions} from './emulator/zk-emulator.js'
import {staff} from './fixtures.js'

export const NOW = Date.UTC(2026, 2, 12, 9, 0, 0)

/** Starts emulators (serial CDQ9192960002, the staff fixture unless given) that close after each test. */
export function useEmulators(): (options?: Partial<EmulatorOptions>) => Promise<ZkEmulator> {
  const started: ZkEmulator[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((e) => e.close()))
  })
  return async (options = {}) => {
    const emulator = await ZkEmulator.start({serial: 'CDQ9192960002', users: staff, ...options})
    started.push(emulator)
    return emulator
  }
}

/** A fresh store per test (site zone Africa/Nairobi) and a way to register an emulator as an agent device in it. */
export function useAgentStore() {
  let current: ReturnType<typeof testStore> | undefined
  let port: AttendStore | undefined
  beforeEach(() => {
    current = testStore({timezone: 'Africa/Nairobi'})
    port = undefined
  })
  afterEach(() => current?.cleanup())
  return {
    get store(): ReturnType<typeof testStore> {
      if (!current) throw new Error('the store exists only inside a test')
      return current
    },
    /** The store port on this test's store, writing through a group commit of its own (as `attend pull`). */
    get port(): AttendStore {
      port ??= sqliteAttendStore(this.store, new GroupCommit(this.store, {now: () => NOW}))
      return port
    },
    register(e: ZkEmulator, extra: Record<string, unknown> = {}, serial = 'CDQ9192960002'): Device {
      return createDevice(this.store, {serial, name: 'Main gate', mode: 'agent', ip: e.host, port: e.port, ...extra}, NOW).device
    },
  }
}

export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
