/**
 * Device presence as its checker sees it: a section of the store port (docs/architecture.md, "The
 * store port"). Every operation is a whole unit of work, committed when its promise resolves.
 */
export interface DevicePresence {
  /**
   * Announces every online device not seen within `windowMs` of `now` as offline: its presence
   * changes and its `device.status_changed` event is queued for the subscribed endpoints in the same
   * unit of work. However many processes check at once, each transition is announced once. Returns
   * how many devices went offline.
   */
  sweep(now: number, windowMs: number): Promise<number>
}
