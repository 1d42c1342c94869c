/** File formats `attend import` reads. */
export const importFormats = ['attlog', 'csv', 'cams', 'json'] as const
export type ImportFormat = (typeof importFormats)[number]

export interface DetectedFormat {
  format: ImportFormat
  /** For json and cams: one JSON value per line rather than one document. */
  jsonLines: boolean
}

const ATTLOG_LINE = /^\s*[^\t\s,;]+(\t|\s+)\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}/

/**
 * Chooses a format from the first bytes of a file (never its name): JSON with `PunchLog`/`RealTime`
 * is CAMS, other JSON is seed-000 events; lines starting with a PIN and a `YYYY-MM-DD HH:MM` time
 * are ATTLOG; anything else with a header row is CSV. Returns null for an empty sample.
 */
export function detectFormat(sample: string): DetectedFormat | null {
  const text = sample.replace(/^\uFEFF/, '')
  const trimmed = text.trimStart()
  if (trimmed === '') return null
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const cams = /"(PunchLog|RealTime)"\s*:/.test(trimmed.slice(0, 4096))
    return {format: cams ? 'cams' : 'json', jsonLines: isJsonLines(trimmed)}
  }
  const firstLine = trimmed.split('\n', 1)[0]
  if (ATTLOG_LINE.test(firstLine)) return {format: 'attlog', jsonLines: false}
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
