import {describe, expect, it} from 'vitest'

import {article, closestCommand} from '../../src/cli/not-found.js'
import {errorText, runAttend} from '../helpers/cli.js'

describe('an unknown command', () => {
  it('exits 2 with the nearest command, also when nobody is at a terminal', async () => {
    const typo = await runAttend(['employes', 'list'])
    expect(typo.exitCode).toBe(2)
    expect(errorText(typo.stderr)).toBe('Error: "employes list" is not an attend command. Did you mean attend employees list? Run attend help for the list of commands.')

    const inTopic = await runAttend(['report', 'summry', '--from', '2026-03-01'])
    expect(inTopic.exitCode).toBe(2)
    expect(errorText(inTopic.stderr)).toBe('Error: "report summry" is not an attend command. Did you mean attend report summary? Run attend help report for the list of commands.')

    const nothingClose = await runAttend(['frobnicate'])
    expect(nothingClose.exitCode).toBe(2)
    expect(errorText(nothingClose.stderr)).toBe('Error: "frobnicate" is not an attend command. Run attend help for the list of commands.')
  })

  it('suggests only what is close', () => {
    const ids = ['employees:list', 'employees:add', 'report:summary', 'devices:list']
    expect(closestCommand('employes:list', ids)).toBe('employees:list')
    expect(closestCommand('devices:lst', ids)).toBe('devices:list')
    expect(closestCommand('payroll', ids)).toBeUndefined()
  })

  it('writes "an attend", "a report"', () => {
    expect(article('attend')).toBe('an')
    expect(article('report')).toBe('a')
  })
})
