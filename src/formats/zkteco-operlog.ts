/**
 * ZKTeco push `table=OPERLOG` (and `table=USERINFO`) bodies: one record per line, such as
 * `USER PIN=1	Name=Ann Otieno	Pri=0	Passwd=	Card=[0001234567]	Grp=1`, `OPLOG 4	0	2026-03-12 08:00:00	…`,
 * `FP PIN=1	FID=6	Size=1024	Valid=1	TMP=…`, `FACE PIN=1	…`. Only USER lines carry what attend keeps
 * (the device's names for its user ids); the rest are acknowledged and counted.
 */
export interface DeviceUserRecord {
  /** The PIN: the id the device puts on every punch. */
  deviceUserId: string
  name: string | null
  /** Pri: 0 user, 14 admin on most firmware; kept raw. */
  privilege: string | null
  card: string | null
}

export type OperlogRecord =
  | {kind: 'user'; user: DeviceUserRecord}
  | {kind: 'other'; tag: string}
  | {kind: 'rejected'; line: number; reason: string}

/** One OPERLOG line (CR already stripped); null for a blank line. */
export function parseOperlogLine(line: string, lineNo: number): OperlogRecord | null {
  const text = line.replace(/^\uFEFF/, '').trim()
  if (!text) return null
  const match = /^([A-Za-z]+)[ \t]+/.exec(text)
  const tag = (match?.[1] ?? text).toUpperCase()
  if (tag !== 'USER') return {kind: 'other', tag}

  const fields = readFields(text.slice(match![0].length))
  const pin = fields.get('PIN')?.trim()
  if (!pin) return {kind: 'rejected', line: lineNo, reason: `Line ${lineNo}: USER record without a PIN.`}
  return {
    kind: 'user',
    user: {
      deviceUserId: pin,
      name: blankToNull(fields.get('Name')),
      privilege: blankToNull(fields.get('Pri')),
      card: readCard(fields.get('Card')),
    },
  }
}

/** Fields are TAB-separated `Key=Value`; a value may itself contain `=` or spaces (names). */
function readFields(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const part of text.split('\t')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1))
  }
  return fields
}

function blankToNull(value: string | undefined): string | null {
  const text = value?.trim() ?? ''
  return text || null
}

/** Firmware writes cards as `[0001234567]`, `1234567` or `0`/`[0000000000]` for "no card". */
function readCard(value: string | undefined): string | null {
  const text = (value ?? '').trim().replace(/^\[(.*)\]$/, '$1').trim()
  if (!text || /^0+$/.test(text)) return null
  return text
}
