import {resolveWallClock, formatInZone} from '../time/parse.js'
import type {ZkDateTime} from './zk/time.js'
import {fromWallClockText, wallClockText} from './zk/time.js'

/** A terminal's clock next to ours, both as wall time in the device's zone. */
export interface ClockReading {
  /** The device's wall clock, `YYYY-MM-DD HH:MM:SS`. */
  deviceTime: string
  /** Our clock at the same moment, in the device's zone. */
  ourTime: string
  zone: string
  /** Device minus ours, in whole seconds: positive when the device is ahead. */
  driftSeconds: number
}

export function readingOf(device: ZkDateTime, now: number, zone: string): ClockReading {
  const deviceTime = wallClockText(device)
  const deviceInstant = resolveWallClock(deviceTime, zone)
  return {deviceTime, ourTime: formatInZone(now, zone), zone, driftSeconds: Math.round((deviceInstant - now) / 1000)}
}

/** Our time as the device's wall clock (its zone), for SET_TIME. */
export function deviceWallClock(now: number, zone: string): ZkDateTime {
  return fromWallClockText(formatInZone(now, zone))
}

/** `+48 s (the device is ahead)`, `-6 min 5 s (the device is behind)`, `0 s`. */
export function describeDrift(seconds: number): string {
  if (seconds === 0) return '0 s (in step)'
  const abs = Math.abs(seconds)
  const parts: string[] = []
  const days = Math.floor(abs / 86_400)
  const hours = Math.floor((abs % 86_400) / 3600)
  const minutes = Math.floor((abs % 3600) / 60)
  const rest = abs % 60
  if (days) parts.push(`${days} d`)
  if (hours) parts.push(`${hours} h`)
  if (minutes) parts.push(`${minutes} min`)
  if (rest || parts.length === 0) parts.push(`${rest} s`)
  return `${seconds > 0 ? '+' : '-'}${parts.join(' ')} (the device is ${seconds > 0 ? 'ahead' : 'behind'})`
}
