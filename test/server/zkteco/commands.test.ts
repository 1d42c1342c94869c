import {describe, expect, it} from 'vitest'

import {commandReply, commandResultFromQuery, parseCommandResults} from '../../../src/server/zkteco/commands.js'

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

  it('reads a multi-line result: fields accumulate until the next ID=, the rest is its content', () => {
    const body = 'ID=4\r\nReturn=-1\r\nCMD=Shell\r\nContent=ls: /mnt/sdcard: No such file\r\nor directory & more\r\nID=5&Return=0&CMD=INFO\r\n~DeviceName=K40\r\nUserCount=12\r\n'
    expect(parseCommandResults(body)).toEqual([
      {id: 4, returnCode: '-1', cmd: 'Shell', content: 'ls: /mnt/sdcard: No such file\nor directory & more'},
      {id: 5, returnCode: '0', cmd: 'INFO', content: '~DeviceName=K40\nUserCount=12'},
    ])
  })

  it('takes the first Return of a result: a stray repeat cannot turn a failure into a success', () => {
    expect(parseCommandResults('ID=9&Return=-1002&CMD=DATA\nReturn=0\n')).toEqual([{id: 9, returnCode: '-1002', cmd: 'DATA', content: null}])
  })

  it('shortens a long content to 2000 characters', () => {
    const [result] = parseCommandResults(`ID=1\nReturn=0\nCMD=Shell\nContent=${'x'.repeat(10_000)}`)
    expect(result.content).toHaveLength(2001)
  })

  it('reads a result some firmware sends in the query string', () => {
    expect(commandResultFromQuery({SN: 'CDQ1', ID: '5', Return: '0', CMD: 'CHECK'})).toEqual({id: 5, returnCode: '0', cmd: 'CHECK', content: null})
    expect(commandResultFromQuery({SN: 'CDQ1'})).toBeNull()
  })
})
