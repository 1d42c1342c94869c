import {describe, expect, it} from 'vitest'

import {lazyAttendStore} from '../../src/store/lazy.js'
import type {AttendStore} from '../../src/store/port.js'

describe('the lazy port of a command run', () => {
  it('opens the store on the first operation, once, and not for closing an unopened port', async () => {
    let opens = 0
    let closes = 0
    const port = lazyAttendStore('sqlite', async () => {
      opens++
      return {
        engine: 'sqlite',
        revisions: {current: async (scope: string) => (scope === 'site' ? 7 : 0)},
        close: async () => void closes++,
      } as unknown as AttendStore
    })
    expect(port.engine).toBe('sqlite')
    const revisions = port.revisions
    expect(opens).toBe(0)
    expect(port.opened()).toBe(false)
    await expect(Promise.all([revisions.current('site'), port.revisions.current('people')])).resolves.toEqual([7, 0])
    expect(opens).toBe(1)
    await port.close()
    expect(closes).toBe(1)
  })

  it('reports a store that cannot be opened from the operation that needed it', async () => {
    const port = lazyAttendStore('postgres', async () => {
      throw new Error('connection refused')
    })
    await port.close()
    await expect(port.revisions.current('site')).rejects.toThrow('connection refused')
  })
})
