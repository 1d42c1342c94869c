import type {EmulatedRecord, EmulatedUser} from './emulator/zk-emulator.js'

/** Staff of a small school as enrolled on a terminal: long ids, a name the 8-byte name field would cut. */
export const staff: EmulatedUser[] = [
  {uid: 1, userId: '1001', name: 'Asha Kamau', privilege: 14, card: 1234567},
  {uid: 2, userId: '1002', name: 'Brian Otieno'},
  {uid: 3, userId: '1003', name: 'Zoë Müller'},
  {uid: 4, userId: '20260000123456', name: 'Daniel Kimani Mwangi'},
]

/** Numeric ids only, for firmware whose layouts store user ids as numbers (28-byte users, 16-byte records). */
export const numericStaff: EmulatedUser[] = staff.filter((u) => /^\d{1,9}$/.test(u.userId))

/** `count` punches spread over days from 2026-03-02, cycling through the users, one minute apart. */
export function punches(count: number, users: readonly EmulatedUser[] = staff, from = Date.UTC(2026, 2, 2, 6, 0, 0)): EmulatedRecord[] {
  const out: EmulatedRecord[] = []
  for (let i = 0; i < count; i++) {
    const user = users[i % users.length]
    const time = new Date(from + i * 60_000).toISOString().slice(0, 19).replace('T', ' ')
    out.push({userId: user.userId, time, state: i % 2, verify: i % 3 === 0 ? 15 : 1})
  }
  return out
}
