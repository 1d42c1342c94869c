/**
 * Fitting text of any length into a bounded space in time linear in the text, whatever a department,
 * name or title holds (a 10 000-character value must not stall a server that renders a PDF).
 * See docs/architecture.md, "Reports".
 */

export const ELLIPSIS = '…'

/** Width of a text in the unit of the room (PDF points). */
export type Measure = (text: string) => number

/** The length of `text` cut at `length` code units without splitting a surrogate pair. */
function safeLength(text: string, length: number): number {
  if (length <= 0 || length >= text.length) return Math.max(0, Math.min(length, text.length))
  const code = text.charCodeAt(length - 1)
  return code >= 0xd800 && code <= 0xdbff ? length - 1 : length
}

/** `text` cut to at most `length` code units (surrogate pairs kept whole), with no trailing space. */
export function cutAt(text: string, length: number): string {
  return text.slice(0, safeLength(text, length)).trimEnd()
}

/**
 * `text` itself when it fits `room`, else its longest prefix that fits with an ellipsis after it.
 * No glyph is narrower than `minGlyphWidth`, so at most `room / minGlyphWidth` characters can ever
 * show: only that prefix is measured, by binary search — O(line · log line) however long the text,
 * instead of one measurement of the whole text per character cut. (A text padded with zero-width
 * characters may be cut where it would have fitted; it still ends in the ellipsis that says so.)
 */
export function fitLine(text: string, room: number, measure: Measure, minGlyphWidth: number): string {
  const cap = Math.ceil(room / Math.max(minGlyphWidth, 0.01)) + 1
  if (text.length <= cap && measure(text) <= room) return text
  if (measure(ELLIPSIS) > room) return ''
  let fits = 0
  let tooLong = Math.min(text.length, cap) + 1
  while (tooLong - fits > 1) {
    const middle = (fits + tooLong) >>> 1
    if (measure(cutAt(text, middle) + ELLIPSIS) <= room) fits = middle
    else tooLong = middle
  }
  return cutAt(text, fits) + ELLIPSIS
}

/**
 * At most `chars` characters of `text`, the cut marked with an ellipsis. Bounds what a wrapping
 * layout (pdfkit's line wrapper, which splits an unbreakable word one character at a time) is
 * ever given: a cell or note shows a few lines, so nothing past the budget could be printed anyway.
 */
export function clip(text: string, chars: number): string {
  if (text.length <= chars) return text
  return cutAt(text, chars - 1) + ELLIPSIS
}
