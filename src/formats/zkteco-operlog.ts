/**
 * ZKTeco push records about users, whichever way a firmware sends them:
 * - `table=OPERLOG`: one record per line, such as `USER PIN=1⇥Name=Ann Otieno⇥Pri=0⇥Passwd=⇥Card=[0001234567]⇥Grp=1`,
 *   `OPLOG 4⇥0⇥2026-03-12 08:00:00⇥…`, `FP PIN=1⇥FID=6⇥Size=1024⇥Valid=1⇥TMP=…`, `FACE PIN=1⇥…`;
 * - `table=USERINFO` (the answer to `DATA QUERY USERINFO`): `PIN=5⇥Name=Five⇥Privilege=0⇥Card=…`, no tag;
 * - PUSH 3.x `tabledata`/`querydata` for `tablename=user`: `user uid=1⇥cardno=⇥pin=1⇥…⇥name=Ali⇥privilege=0`.
 * Only user records carry what attend keeps (the device's names for its user ids); the rest are
 * acknowledged and counted.
 */
import {idTooLong, nameTooLong} from './input-policy.js'
import {fieldValue, tabFields} from './key-values.js'

export interface DeviceUserRecord {
  /** The PIN: the id the device puts on every punch. */
  deviceUserId: string
  name: string | null
  /** Pri / Privilege: 0 user, 14 admin on most firmware; kept raw. */
  privilege: string | null
  card: string | null
}

export type OperlogRecord =
  | {kind: 'user'; user: DeviceUserRecord}
  | {kind: 'other'; tag: string}
  | {kind: 'rejected'; line: number; reason: string}

/** One OPERLOG, USERINFO or user-table line (CR already stripped); null for a blank line. */
export function parseOperlogLine(line: string, lineNo: number): OperlogRecord | null {
  const text = line.replace(/^\uFEFF/, '').trim()
  if (!text) return null
  // USERINFO lines start with the fields themselves.
  if (/^PIN=/i.test(text)) return userRecord(tabFields(text), lineNo, 'USERINFO')
  const match = /^([A-Za-z_]+)[ \t]+/.exec(text)
  const tag = (match?.[1] ?? text).toUpperCase()
  if (tag !== 'USER') return {kind: 'other', tag: tag.slice(0, 32)}
  return userRecord(tabFields(text.slice(match![0].length)), lineNo, 'USER')
}

function userRecord(fields: Map<string, string>, lineNo: number, what: string): OperlogRecord {
  const pin = fieldValue(fields, 'pin')
  if (!pin) return {kind: 'rejected', line: lineNo, reason: `Line ${lineNo}: ${what} record without a PIN.`}
  const tooLong = idTooLong(pin, `Line ${lineNo}: the PIN`)
  if (tooLong) return {kind: 'rejected', line: lineNo, reason: tooLong}
  const name = fieldValue(fields, 'name')
  const nameLong = name ? nameTooLong(name, `Line ${lineNo}: the name`) : null
  if (nameLong) return {kind: 'rejected', line: lineNo, reason: nameLong}
  return {
    kind: 'user',
    user: {
      deviceUserId: pin,
      name,
      privilege: (fieldValue(fields, 'pri') ?? fieldValue(fields, 'privilege'))?.slice(0, 16) ?? null,
      card: readCard(fields.get('card') ?? fields.get('cardno')),
    },
  }
}

/** Firmware writes cards as `[0001234567]`, `1234567` or `0`/`[0000000000]` for "no card". */
function readCard(value: string | undefined): string | null {
  const text = (value ?? '').trim().replace(/^\[(.*)\]$/, '$1').trim()
  if (!text || /^0+$/.test(text)) return null
  return text.slice(0, 64)
}
