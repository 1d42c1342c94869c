/**
 * The `Key=Value` fields ZKTeco firmware writes, TAB-separated (`PIN=5⇥Name=Five⇥Privilege=0`,
 * `time=…⇥pin=90⇥event=0`). Keys are compared without case — firmware writes Pin, PIN and pin — and
 * a value keeps any `=` it contains (base64 templates, names).
 */
export function tabFields(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const part of text.split('\t')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1))
  }
  return fields
}

/** A field's value, trimmed; null when the field is absent or blank. */
export function fieldValue(fields: ReadonlyMap<string, string>, key: string): string | null {
  const value = fields.get(key)?.trim()
  return value === undefined || value === '' ? null : value
}
