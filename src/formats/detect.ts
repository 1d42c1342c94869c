/** File formats `attend import` reads. */
export const importFormats = ['attlog', 'csv', 'cams', 'json'] as const
export type ImportFormat = (typeof importFormats)[number]

export interface DetectedFormat {
  format: ImportFormat
  /** For json and cams: one JSON value per line rather than one document. */
  jsonLines: boolean
}

/** Non-blank lines looked at when choosing between ATTLOG and CSV. */
const DETECT_LINES = 20
const ATTLOG_LINE = /^\s*[^\t\s,;]+(\t|\s+)\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}/
/** The key=value ATTLOG layout of some push firmware: `PIN=90⇥DateTime=2026-03-12 08:05:00⇥…`. */
const KEYED_ATTLOG_LINE = /^\s*PIN=[^\t]*\t.*\b(DateTime|Time)=\d{4}-\d{1,2}-\d{1,2}/i

/**
 * Chooses a format from the first bytes of a file (never its name): JSON with `PunchLog`/`RealTime`
 * is CAMS, other JSON is worker attendance events; when most of the first 20 non-blank lines start with a PIN
 * and a `YYYY-MM-DD HH:MM` time it is ATTLOG; anything else with a header row is CSV. Returns null for an empty sample.
 */
export function detectFormat(sample: string): DetectedFormat | null {
  const text = sample.replace(/^\uFEFF/, '')
  const trimmed = text.trimStart()
  if (trimmed === '') return null
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const cams = /"(PunchLog|RealTime)"\s*:/.test(trimmed.slice(0, 4096))
    return {format: cams ? 'cams' : 'json', jsonLines: isJsonLines(trimmed)}
  }
  // One broken line (often the first, from a device that crashed mid-write) must not decide the
  // format of the whole file: the majority of the first lines does, and the bad line is rejected later.
  const lines = trimmed.split('\n', DETECT_LINES * 4).filter((l) => l.trim() !== '').slice(0, DETECT_LINES)
  // A first line without a digit is a header row (a TAB-separated CSV export looks like ATTLOG below it).
  if (!/\d/.test(lines[0])) return {format: 'csv', jsonLines: false}
  const attlogLines = lines.filter((l) => ATTLOG_LINE.test(l) || KEYED_ATTLOG_LINE.test(l)).length
  if (attlogLines * 2 > lines.length) return {format: 'attlog', jsonLines: false}
  return {format: 'csv', jsonLines: false}
}

/** JSON Lines: the first line is a whole JSON object and another object line follows. */
export function isJsonLines(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  if (lines.length < 2 || !lines[0].startsWith('{') || !lines[1].startsWith('{')) return false
  try {
    JSON.parse(lines[0])
    return true
  } catch {
    return false
  }
}
