/** Shared vocabulary of the report models and renderers. */

import type {DayHalf, DayRecord as EngineDayRecord, ShiftRule} from '../attendance/engine/types.js'

export const reportFormats = ['table', 'json', 'csv', 'pdf'] as const
export type ReportFormat = (typeof reportFormats)[number]

/**
 * One employee × date cell of the register, and the unit every report counts in.
 * `-` = pending (not computed yet, or today before the shift ends); `` = not on the roll
 * (before joined_on or after left_on).
 */
export type DayCode = 'P' | 'L' | 'HD' | 'A' | 'H' | 'WO' | 'LV' | '-' | ''

/** The employee fields reports show and filter on. */
export interface ReportEmployee {
  id: number
  code: string
  name: string
  department: string | null
  joinedOn: string | null
  leftOn: string | null
}

/**
 * An attendance_days row as the reports read it: the engine's day record (reports do not use the
 * punch count) with the employee it belongs to.
 */
export type DayRecord = Omit<EngineDayRecord, 'punchCount'> & {employeeId: number}

export interface ShiftInfo {
  id: number
  name: string
  /** `HH:MM` */
  start: string
  end: string
  /** The shift as the engine reads it: the daily report places instances and windows with it. */
  rule: ShiftRule
}

/** The site calendar a report is read against: range, week off days and holidays. */
export interface ReportCalendar {
  from: string
  to: string
  zone: string
  /** Luxon weekday numbers (1 = Monday … 7 = Sunday) that are weekly offs for the site. */
  weekOff: readonly number[]
  /** date → holiday name (whole days only) */
  holidays: ReadonlyMap<string, string>
  /** Half-day holidays: date → name and the half that is off. The other half is a working half. */
  halfHolidays: ReadonlyMap<string, {name: string; half: DayHalf}>
}

/** What the header of a printed or shown report says. */
export interface ReportHeading {
  title: string
  subtitle: string
  period: string
  filters: string
  /** UTC ms: the PDF's dates. */
  generatedAt: number
  /** When, as people at the site read it: `2026-03-16 12:00 (Africa/Nairobi, UTC+03:00)`. */
  generated: string
  zone: string
}

/** Color intent of a cell, mapped to chalk colors on a terminal and RGB in a PDF. */
export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'muted'

export interface SheetColumn {
  label: string
  align?: 'left' | 'right' | 'center'
  /** Nominal width in PDF points; scaled to the page. */
  width: number
  /** Shade the column (weekly offs and holidays on the register). */
  shade?: boolean
  /** Let long text wrap onto more lines in the PDF instead of being cut. */
  wrap?: boolean
}

export interface SheetRow {
  cells: string[]
  tones?: (Tone | undefined)[]
}

export interface SheetGroup {
  /** Department name, or null for a report without groups. */
  name: string | null
  rows: SheetRow[]
  subtotal?: SheetRow
}

/** A report laid out for people: what the table and PDF renderers draw. */
export interface Sheet {
  orientation: 'portrait' | 'landscape'
  columns: SheetColumn[]
  groups: SheetGroup[]
  totals?: SheetRow
  /** Short lines printed under the heading (summary figures, the legend). */
  notes: string[]
  /** Printed when there are no rows at all. */
  empty: string
}

/** A titled sheet: what the table and PDF renderers draw, one or more per report. */
export interface ReportSection {
  heading: ReportHeading
  sheet: Sheet
}
