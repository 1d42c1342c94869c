/**
 * The statuses a day can have. Declared here, not in the schema, so the domain and the commands
 * read them without importing the tables (docs/architecture.md, "The store port"); both schemas
 * take their enum from here.
 */
export const attendanceStatuses = ['present', 'absent', 'half_day', 'holiday', 'weekly_off', 'leave', 'pending'] as const
export type AttendanceStatus = (typeof attendanceStatuses)[number]
