import {describe, expect, it} from 'vitest'

import {presenceAt, relativeTime, transitionsOnCheck, transitionsOnSeen, type PresenceState} from '../../src/devices/presence.js'

const T = Date.parse('2026-03-12T09:00:00Z')
const MIN = 60_000
const WINDOW = 5 * MIN

describe('device presence', () => {
  it.each<[string, PresenceState, number, ReturnType<typeof transitionsOnSeen>]>([
    ['never seen → online', {presence: null, lastSeenAt: null}, T, [{from: null, to: 'online', at: T}]],
    ['offline → online', {presence: 'offline', lastSeenAt: T - 60 * MIN}, T, [{from: 'offline', to: 'online', at: T}]],
    ['online within the window: nothing', {presence: 'online', lastSeenAt: T - 4 * MIN}, T, []],
    ['online, exactly at the window: nothing', {presence: 'online', lastSeenAt: T - 5 * MIN}, T, []],
    [
      'online, window ran out unnoticed: offline at its end, then online',
      {presence: 'online', lastSeenAt: T - 20 * MIN},
      T,
      [
        {from: 'online', to: 'offline', at: T - 15 * MIN},
        {from: 'offline', to: 'online', at: T},
      ],
    ],
    ['a sighting older than the last one: nothing', {presence: 'online', lastSeenAt: T}, T - MIN, []],
  ])('seen: %s', (_name, state, now, expected) => {
    expect(transitionsOnSeen(state, now, WINDOW)).toEqual(expected)
  })

  it.each<[string, PresenceState, number, ReturnType<typeof transitionsOnCheck>]>([
    ['online within the window: nothing', {presence: 'online', lastSeenAt: T - 5 * MIN}, T, []],
    ['online past the window: offline at its end', {presence: 'online', lastSeenAt: T - 5 * MIN - 1}, T, [{from: 'online', to: 'offline', at: T - 1}]],
    ['already offline: nothing (announced once)', {presence: 'offline', lastSeenAt: T - 60 * MIN}, T, []],
    ['never seen: nothing', {presence: null, lastSeenAt: null}, T, []],
  ])('check: %s', (_name, state, now, expected) => {
    expect(transitionsOnCheck(state, now, WINDOW)).toEqual(expected)
  })

  it('walks a device through a day with an injected clock: each transition once', () => {
    let state: PresenceState = {presence: null, lastSeenAt: null}
    const announced: string[] = []
    const seen = (at: number) => {
      for (const t of transitionsOnSeen(state, at, WINDOW)) announced.push(`${t.to}@${(t.at - T) / MIN}`)
      state = {presence: 'online', lastSeenAt: Math.max(state.lastSeenAt ?? at, at)}
    }
    const check = (at: number) => {
      for (const t of transitionsOnCheck(state, at, WINDOW)) {
        announced.push(`${t.to}@${(t.at - T) / MIN}`)
        state = {...state, presence: 'offline'}
      }
    }
    // Polls every minute for ten minutes, then silence (power cut), then back at 60.
    for (let m = 0; m <= 10; m++) seen(T + m * MIN)
    for (let m = 11; m < 60; m++) check(T + m * MIN)
    seen(T + 60 * MIN)
    check(T + 61 * MIN)
    expect(announced).toEqual(['online@0', 'offline@15', 'online@60'])
  })

  it('shows presence from the last sighting, and last seen as relative time', () => {
    expect(presenceAt(null, T, WINDOW)).toBeNull()
    expect(presenceAt(T - 3 * MIN, T, WINDOW)).toBe('online')
    expect(presenceAt(T - 6 * MIN, T, WINDOW)).toBe('offline')
    expect(relativeTime(null, T)).toBe('never')
    expect(relativeTime(T - 5_000, T)).toBe('just now')
    expect(relativeTime(T - 40_000, T)).toBe('40 s ago')
    expect(relativeTime(T - 3 * MIN - 20_000, T)).toBe('3 min ago')
    expect(relativeTime(T - 125 * MIN, T)).toBe('2 h ago')
    expect(relativeTime(T - 3 * 24 * 60 * MIN, T)).toBe('3 days ago')
    expect(relativeTime(T + 10 * MIN, T)).toBe('in 10 min')
  })
})
