/**
 * What both store adapters share about endpoints' rows (src/store/sqlite/webhook-rows.ts,
 * src/store/pg/webhooks.ts): who is subscribed to what.
 */

/** Event type → endpoint ids, from the active endpoints' rows (`events`: their JSON array of types). */
export function subscriptionMap(rows: readonly {id: number; events: string}[]): Map<string, number[]> {
  const map = new Map<string, number[]>()
  for (const row of rows) {
    for (const type of JSON.parse(row.events) as string[]) {
      let ids = map.get(type)
      if (!ids) map.set(type, (ids = []))
      ids.push(row.id)
    }
  }
  return map
}
