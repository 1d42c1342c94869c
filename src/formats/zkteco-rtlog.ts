/**
 * PUSH 3.x real-time events (`POST /iclock/cdata?table=rtlog`, and `tablename=transaction` table
 * data): one event per line as TAB-separated `key=value`, e.g.
 * `time=2026-03-12 08:05:00⇥pin=90⇥cardno=0⇥eventaddr=1⇥event=0⇥inoutstatus=0⇥verifytype=1⇥index=7`.
 * A verified person is a punch; door, alarm and refused-verification events are not.
 */
import type {ParsedRecord} from '../punches/types.js'
import {parseTimestamp} from '../time/parse.js'
import {idTooLong, quote} from './input-policy.js'
import {fieldValue, tabFields} from './key-values.js'

/**
 * Event codes below 20 are verifications that let the person through (normal, first-card, multi-
 * card, …); 20–99 are refused verifications (interval too short, outside the time zone, anti-
 * passback, unregistered user …) and 100 and up are door and alarm events: none of those is a punch.
 */
const PUNCH_EVENT_LIMIT = 20

export type RtlogRecord = ParsedRecord | {ok: 'skipped'; line: number; reason: string}

/** One rtlog line → a punch, a rejection naming the field, or an event that is not a punch; null if blank. */
export function parseRtlogLine(line: string, lineNo: number): RtlogRecord | null {
  const text = line.replace(/\r$/, '').replace(/^(transaction|rtlog)\s+/i, '')
  if (text.trim() === '') return null
  const fields = tabFields(text)
  const value = (key: string) => fieldValue(fields, key)
  const reject = (reason: string): ParsedRecord => ({ok: false, rejected: {line: lineNo, reason, raw: text}})
  const event = value('event')
  if (event !== null && !(/^\d+$/.test(event) && Number(event) < PUNCH_EVENT_LIMIT)) {
    return {ok: 'skipped', line: lineNo, reason: `event ${quote(event)} is not a verified punch`}
  }
  const pin = value('pin') ?? ''
  // Events nobody caused (door sensors, buttons) carry pin 0 or none.
  if (pin === '' || pin === '0') return {ok: 'skipped', line: lineNo, reason: 'no person (pin is empty or 0)'}
  const tooLong = idTooLong(pin, 'pin')
  if (tooLong) return reject(tooLong)
  const timeText = value('time') ?? ''
  if (!timeText) return reject('time= is missing: expected time=YYYY-MM-DD HH:MM:SS.')
  let time
  try {
    time = parseTimestamp(timeText)
  } catch (error) {
    return reject(error instanceof Error ? error.message : `Invalid time ${quote(timeText)}.`)
  }
  const temperature = Number(value('temperature'))
  const mask = value('maskflag')
  return {
    ok: true,
    punch: {
      deviceUserId: pin,
      time,
      timeText,
      rawStatus: value('inoutstatus') ?? value('status'),
      rawVerify: value('verifytype') ?? value('verified'),
      raw: text,
      line: lineNo,
      ...(mask === '0' || mask === '1' ? {mask: mask === '1'} : {}),
      ...(Number.isFinite(temperature) && temperature > 0 ? {temperature} : {}),
    },
  }
}
