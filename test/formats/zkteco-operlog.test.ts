import {describe, expect, it} from 'vitest'

import {parseOperlogLine} from '../../src/formats/zkteco-operlog.js'

describe('parseOperlogLine', () => {
  it('reads a USER line with a name containing spaces and a bracketed card', () => {
    expect(parseOperlogLine('USER PIN=1001\tName=Mary Wanjiru Kamau\tPri=0\tPasswd=\tCard=[0004567890]\tGrp=1\tTZ=0000000100000000', 1)).toEqual({
      kind: 'user',
      user: {deviceUserId: '1001', name: 'Mary Wanjiru Kamau', privilege: '0', card: '0004567890'},
    })
  })

  it('treats an empty or all-zero card and an empty name as absent', () => {
    expect(parseOperlogLine('USER PIN=7\tName=\tPri=14\tCard=[0000000000]', 2)).toEqual({
      kind: 'user',
      user: {deviceUserId: '7', name: null, privilege: '14', card: null},
    })
  })

  it('counts other records by tag and rejects a USER line without PIN', () => {
    expect(parseOperlogLine('OPLOG 4\t0\t2026-03-12 08:00:00\t0\t0\t0\t0', 1)).toEqual({kind: 'other', tag: 'OPLOG'})
    expect(parseOperlogLine('FP PIN=1\tFID=6\tTMP=abc=', 2)).toEqual({kind: 'other', tag: 'FP'})
    expect(parseOperlogLine('USER Name=Nobody', 3)).toEqual({kind: 'rejected', line: 3, reason: 'Line 3: USER record without a PIN.'})
    expect(parseOperlogLine('   ', 4)).toBeNull()
  })

  it('reads USERINFO lines (no tag), the answer to DATA QUERY USERINFO', () => {
    expect(parseOperlogLine('PIN=5\tName=Five Otieno\tPrivilege=14\tCard=12345678\tPassword=', 1)).toEqual({
      kind: 'user',
      user: {deviceUserId: '5', name: 'Five Otieno', privilege: '14', card: '12345678'},
    })
  })

  it('reads the PUSH 3.x user table (lower-case keys after a "user" tag)', () => {
    expect(parseOperlogLine('user uid=3\tcardno=0\tpin=1003\tpassword=\tgroup=1\tstarttime=0\tendtime=0\tname=Ali Hassan\tprivilege=0\tdisable=0\tverify=0', 1)).toEqual({
      kind: 'user',
      user: {deviceUserId: '1003', name: 'Ali Hassan', privilege: '0', card: null},
    })
  })

  it('refuses a PIN past 64 characters and a name past 200', () => {
    expect(parseOperlogLine(`PIN=${'1'.repeat(65)}\tName=A`, 2)).toMatchObject({kind: 'rejected', line: 2})
    expect(parseOperlogLine(`USER PIN=1\tName=${'n'.repeat(201)}`, 3)).toMatchObject({kind: 'rejected', reason: expect.stringMatching(/longer than 200 characters/)})
  })
})
