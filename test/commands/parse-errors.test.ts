import path from 'node:path'
import fs from 'node:fs'
import {afterEach, describe, expect, it} from 'vitest'

import {errorText, runAttend, tempDir} from '../helpers/cli.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('argument values a parser refuses', () => {
  it('are usage errors (exit 2) with one sentence, and open no store', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const db = path.join(t.dir, 'a.db')
    const result = await runAttend(['punches', 'remove', 'abc', '--db', db])
    expect(result.exitCode).toBe(2)
    expect(errorText(result.stderr)).toContain('Expected an integer but received: abc')
    expect(fs.existsSync(db)).toBe(false)
  })
})
