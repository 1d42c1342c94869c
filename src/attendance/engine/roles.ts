import {contains, type ShiftInstance} from './instances.js'
import type {EnginePunch, ShiftRule} from './types.js'

export type Role = 'in' | 'out' | null

/**
 * What a punch is known to be: a device of direction in/out forces it; under `--direction punch`
 * the punch's own in/out is trusted; otherwise nothing is known and position decides.
 */
export function roleOf(punch: EnginePunch, shift: ShiftRule | null): Role {
  if (punch.deviceDirection === 'in' || punch.deviceDirection === 'out') return punch.deviceDirection
  if (shift?.directionMode === 'punch') return punch.direction
  return null
}

export interface Roles {
  /** The punches that count: all of them, or only those inside a check-in or check-out window. */
  considered: EnginePunch[]
  checkIn: EnginePunch | null
  checkOut: EnginePunch | null
}

function windowTests(instance: ShiftInstance) {
  const {checkIn: inWindow, checkOut: outWindow} = instance
  return {
    windowed: inWindow !== null || outWindow !== null,
    // With only one window set, the rest of the shift's span acts as the other one.
    inInWindow: (instant: number) => (inWindow ? contains(inWindow, instant) : !contains(outWindow!, instant)),
    inOutWindow: (instant: number) => (outWindow ? contains(outWindow, instant) : !contains(inWindow!, instant)),
  }
}

/** Whether a punch of the instance's span counts at all: with windows, only inside one of them. */
export function countsForInstance(instance: ShiftInstance, instant: number): boolean {
  const {windowed, inInWindow, inOutWindow} = windowTests(instance)
  return !windowed || inInWindow(instant) || inOutWindow(instant)
}

/**
 * With windows (as push-mode terminal sites configure them), punches outside both are ignored, the first punch in the IN window is the
 * check-in and the last in the OUT window the check-out. Without windows the first punch is IN and
 * the last OUT. A punch known to be OUT is never the check-in, one known to be IN never the
 * check-out, and the check-out always comes after the check-in.
 */
export function pickRoles(instance: ShiftInstance, punches: readonly EnginePunch[]): Roles {
  const shift = instance.shift
  const {windowed, inInWindow, inOutWindow} = windowTests(instance)
  const considered = windowed ? punches.filter((p) => countsForInstance(instance, p.instant)) : [...punches]
  const checkIn = considered.find((p) => roleOf(p, shift) !== 'out' && (!windowed || inInWindow(p.instant))) ?? null
  let checkOut: EnginePunch | null = null
  for (let i = considered.length - 1; i >= 0; i--) {
    const p = considered[i]
    if (checkIn && p.instant <= checkIn.instant) break
    if (roleOf(p, shift) !== 'in' && (!windowed || inOutWindow(p.instant))) {
      checkOut = p
      break
    }
  }
  return {considered, checkIn, checkOut}
}

/**
 * Worked time as the sum of in/out pairs: breaks between an OUT and the next IN are excluded, and a
 * punch without a partner adds nothing. Unknown roles alternate (in, out, in, out …); a second IN
 * while one is open replaces it, since the earlier one never got its OUT.
 */
export function pairTotals(punches: readonly EnginePunch[], shift: ShiftRule | null): {workedMs: number; unpaired: number; pairs: [number, number][]} {
  let open: number | null = null
  let workedMs = 0
  let unpaired = 0
  const pairs: [number, number][] = []
  for (const punch of punches) {
    const role = roleOf(punch, shift) ?? (open === null ? 'in' : 'out')
    if (role === 'in') {
      if (open !== null) unpaired++
      open = punch.instant
    } else if (open === null) {
      unpaired++
    } else {
      workedMs += punch.instant - open
      pairs.push([open, punch.instant])
      open = null
    }
  }
  if (open !== null) unpaired++
  return {workedMs, unpaired, pairs}
}
