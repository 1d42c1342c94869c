import {describe, expect, it} from 'vitest'

import {commandReply, parseCommandResults} from '../../../src/server/zkteco/commands.js'

describe('device command wire format', () => {
  it('reads ID/Return/CMD lines and skips lines without a numeric ID', () => {
    expect(parseCommandResults('ID=12&Return=0&CMD=DATA\nID=13&Return=-1002&CMD=REBOOT\n\nReturn=0\nID=abc&Return=0\n')).toEqual([
      {id: 12, returnCode: '0', cmd: 'DATA', content: null},
      {id: 13, returnCode: '-1002', cmd: 'REBOOT', content: null},
    ])
  })

  it('answers OK when nothing is queued, else one C:<id>:<command> line each', () => {
    expect(commandReply([])).toBe('OK')
    const base = {deviceId: 1, status: 'sent' as const, returnCode: null, result: null, createdAt: 0, sentAt: 0, doneAt: null}
    expect(commandReply([{...base, id: 3, command: 'INFO'}, {...base, id: 4, command: 'DATA QUERY USERINFO PIN=1'}])).toBe('C:3:INFO\nC:4:DATA QUERY USERINFO PIN=1\n')
  })
})
