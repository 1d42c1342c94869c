import {hoursMinutes} from '../dates.js'
import type {DayCode, Tone} from '../types.js'

/** 20.5 → "20.5", 21 → "21", null → "–". */
export function num(value: number | null): string {
  if (value === null) return '–'
  return String(Math.round(value * 100) / 100)
}

/**
 * Hours as every printed report and the terminal show them, `H:MM` (168.5 → "168:30"), like the
 * daily report's worked time; CSV and JSON keep decimal hours for spreadsheets. null → "–".
 */
export function hours(value: number | null): string {
  return value === null ? '–' : hoursMinutes(value * 60)
}

export function percent(value: number | null): string {
  return value === null ? '–' : value.toFixed(2)
}

export function percentTone(value: number | null): Tone | undefined {
  if (value === null) return 'muted'
  if (value < 75) return 'bad'
  if (value < 90) return 'warn'
  return 'good'
}

export const codeTones: Record<DayCode, Tone | undefined> = {
  P: 'good',
  L: 'warn',
  HD: 'warn',
  A: 'bad',
  H: 'muted',
  WO: 'muted',
  LV: 'info',
  '-': 'muted',
  '': undefined,
}

export const statusTones: Record<string, Tone> = {
  present: 'good',
  half_day: 'warn',
  absent: 'bad',
  leave: 'info',
  holiday: 'muted',
  weekly_off: 'muted',
  pending: 'muted',
}

export const statusLabels: Record<string, string> = {
  present: 'present',
  half_day: 'half day',
  absent: 'absent',
  leave: 'leave',
  holiday: 'holiday',
  weekly_off: 'weekly off',
  pending: 'pending',
}

/** Site-local `HH:MM` out of an ISO instant with offset (`2026-03-12T08:05:00+03:00`). */
export function hhmm(iso: string | null): string {
  return iso === null ? '–' : iso.slice(11, 16)
}

export function departmentName(department: string | null): string {
  return department ?? 'No department'
}

export function filtersText(filters: {department: string | null; employee: string | null}): string {
  const parts: string[] = []
  if (filters.employee) parts.push(`employee ${filters.employee}`)
  if (filters.department) parts.push(`department ${filters.department}`)
  return parts.length > 0 ? parts.join(', ') : 'all employees'
}
