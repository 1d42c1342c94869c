import {DateTime} from 'luxon'

/** An instant as `YYYY-MM-DD HH:mm` in `zone`, for tables; null stays null (rendered as "-"). */
export function formatLocal(ms: number | null | undefined, zone: string): string | null {
  if (ms === null || ms === undefined) return null
  return DateTime.fromMillis(ms, {zone}).toFormat('yyyy-MM-dd HH:mm')
}
