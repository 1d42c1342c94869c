/**
 * The whole attend data model (docs/architecture.md, "The store"). Instants are UTC epoch milliseconds; local dates are
 * `YYYY-MM-DD` text in the site (or device) zone; local times are `HH:MM`.
 *
 * No foreign key here cascades: SQLite table rebuilds in later migrations would otherwise silently
 * empty punches or attendance (see the migrator in open.ts, which also checks keys after a rebuild).
 */
import {sql} from 'drizzle-orm'
import {check, index, integer, real, sqliteTable, text, uniqueIndex} from 'drizzle-orm/sqlite-core'
import {attendanceStatuses, type AttendanceStatus} from '../attendance/statuses.js'

const createdAt = () => integer('created_at').notNull()
const updatedAt = () => integer('updated_at').notNull()

/** Site settings as key → JSON value (time zone, week off days, default shift, report title, …). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: updatedAt(),
})

/**
 * A revision per cached scope, changed by triggers (migrations 0002, 0003, 0005, 0007) on every
 * write to the tables behind it, by any connection: `site`
 * (settings, shifts, rosters, assignments, holidays, forced device directions), `api_keys`,
 * `people` (employee codes and names, device user mappings: whom a device user id resolves to), and
 * `webhooks` (the endpoints: who subscribes to which events).
 * A long-running server caches what it derives from those tables and
 * re-reads them only when the revision differs, one primary-key read per request instead of a
 * dozen queries. A revision is random, not a counter: after a rolled-back change a counter would
 * come back to a value some cache already holds for the discarded data.
 */
export const storeRevisions = sqliteTable('store_revisions', {
  scope: text('scope').primaryKey(),
  revision: integer('revision').notNull(),
})

export const employees = sqliteTable(
  'employees',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    code: text('code').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    department: text('department'),
    active: integer('active', {mode: 'boolean'}).notNull().default(true),
    joinedOn: text('joined_on'),
    leftOn: text('left_on'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('employees_code_unique').on(sql`${t.code} COLLATE NOCASE`),
    index('employees_department_idx').on(t.department),
  ],
)

export const devices = sqliteTable(
  'devices',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    serial: text('serial').notNull(),
    name: text('name').notNull(),
    location: text('location'),
    type: text('type'),
    /** auto | in | out — in/out forces the role of every punch from this device. */
    direction: text('direction', {enum: ['auto', 'in', 'out']}).notNull().default('auto'),
    /** push: the device sends to `attend serve`; agent: attend pulls from it. */
    mode: text('mode', {enum: ['push', 'agent']}).notNull().default('push'),
    status: text('status', {enum: ['active', 'inactive']}).notNull().default('active'),
    tokenHash: text('token_hash'),
    tokenPrefix: text('token_prefix'),
    /** IANA zone overriding the site zone for this device's wall-clock timestamps. */
    timezone: text('timezone'),
    /** Agent mode: where `attend pull` reaches the terminal (port 4370 when null). */
    ip: text('ip'),
    port: integer('port'),
    /** Agent mode: tcp | udp | auto (null = auto: TCP, then UDP). */
    protocol: text('protocol', {enum: ['tcp', 'udp', 'auto']}),
    /**
     * Agent mode: the comm key set on the device (0–999999). A secret the protocol needs in clear,
     * so it is stored as is and never shown (listings say set / not set).
     */
    commKey: integer('comm_key'),
    /** JSON object: raw state code → 'in' | 'out', for devices whose codes are known (CAMS att_state). */
    stateMap: text('state_map'),
    /** JSON object: the options the device reported last (ZKTeco table=options, registry), replaced whole each time. */
    options: text('options'),
    /**
     * The CAMS gateway's service tag id for this device (`?stgid=ST-…` on its callbacks): a PunchLog
     * batch, which carries no token, is accepted for the device its stgid names.
     */
    camsStgid: text('cams_stgid'),
    /**
     * Comma-separated addresses and CIDR ranges the device may connect from (null = anywhere):
     * ZKTeco push terminals are otherwise trusted by their serial alone.
     */
    allowFrom: text('allow_from'),
    /** The `Stamp` of the last ATTLOG (and OPERLOG) upload acknowledged, handed back in the handshake. */
    attlogStamp: text('attlog_stamp'),
    operlogStamp: text('operlog_stamp'),
    lastSeenAt: integer('last_seen_at'),
    /**
     * online | offline as last announced by `device.status_changed` (null: never seen). Changed only
     * by a compare-and-set on the value read, so each transition is announced once even when two
     * processes notice it (src/store/sqlite/devices/presence-store.ts).
     */
    presence: text('presence', {enum: ['online', 'offline']}),
    presenceChangedAt: integer('presence_changed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('devices_serial_unique').on(t.serial), uniqueIndex('devices_cams_stgid_unique').on(t.camsStgid).where(sql`${t.camsStgid} IS NOT NULL`)],
)

/**
 * The last pull of each agent-mode device (`attend pull`, `attend serve --pull-every`), and the
 * lease that keeps two processes from talking to one terminal at once (a terminal serves one TCP
 * client at a time). A failed pull keeps the counts of the last one that worked.
 */
export const devicePulls = sqliteTable('device_pulls', {
  deviceId: integer('device_id')
    .primaryKey()
    .references(() => devices.id),
  /** When the last pull ended (UTC ms), whether it worked or not. */
  lastPullAt: integer('last_pull_at'),
  /** Null when the last pull worked; else why it failed, as printed. */
  lastError: text('last_error'),
  lastSuccessAt: integer('last_success_at'),
  /** Counts of the last pull that worked. */
  recordsRead: integer('records_read'),
  recordsNew: integer('records_new'),
  duplicates: integer('duplicates'),
  rejected: integer('rejected'),
  users: integer('users'),
  durationMs: integer('duration_ms'),
  /** Who holds the device now (a random token per pull) and until when; null when free. */
  leaseOwner: text('lease_owner'),
  leaseUntil: integer('lease_until'),
})

/** Serials that knocked on `attend serve` without being registered (shown by `devices list`). */
export const refusedDevices = sqliteTable('refused_devices', {
  serial: text('serial').primaryKey(),
  remoteAddress: text('remote_address'),
  route: text('route'),
  attempts: integer('attempts').notNull().default(1),
  firstSeenAt: integer('first_seen_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
})

/** Users enrolled on a device, as the device reports them (ZKTeco OPERLOG USER lines). */
export const deviceUsers = sqliteTable(
  'device_users',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id),
    deviceUserId: text('device_user_id').notNull(),
    name: text('name'),
    privilege: text('privilege'),
    card: text('card'),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('device_users_device_user_unique').on(t.deviceId, t.deviceUserId)],
)

/**
 * Device user id → employee. `deviceId` null applies to every device; a device-specific mapping
 * wins over a global one.
 */
export const deviceUserMappings = sqliteTable(
  'device_user_mappings',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    deviceId: integer('device_id').references(() => devices.id),
    deviceUserId: text('device_user_id').notNull(),
    employeeId: integer('employee_id')
      .notNull()
      .references(() => employees.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('mappings_device_user_unique').on(t.deviceId, t.deviceUserId).where(sql`${t.deviceId} IS NOT NULL`),
    uniqueIndex('mappings_global_user_unique').on(t.deviceUserId).where(sql`${t.deviceId} IS NULL`),
    index('mappings_employee_idx').on(t.employeeId),
  ],
)

export const imports = sqliteTable('imports', {
  id: integer('id').primaryKey({autoIncrement: true}),
  file: text('file').notNull(),
  format: text('format').notNull(),
  deviceId: integer('device_id').references(() => devices.id),
  dryRun: integer('dry_run', {mode: 'boolean'}).notNull().default(false),
  /** `interrupted`: stopped by Ctrl-C or a signal, with the counts of what it had stored. */
  status: text('status', {enum: ['running', 'done', 'partial', 'failed', 'interrupted']}).notNull(),
  read: integer('read').notNull().default(0),
  stored: integer('stored').notNull().default(0),
  duplicates: integer('duplicates').notNull().default(0),
  unmapped: integer('unmapped').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  message: text('message'),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
})

/**
 * Every punch from every source, in one shape. `deviceKey` is never null: the device serial when
 * the source names one (registered or not), else a source key such as `manual` or `api`, so the
 * dedup key (deviceKey, deviceUserId, instant) makes every retry and re-import a no-op.
 */
export const punches = sqliteTable(
  'punches',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    deviceKey: text('device_key').notNull(),
    deviceId: integer('device_id').references(() => devices.id),
    deviceUserId: text('device_user_id').notNull(),
    employeeId: integer('employee_id').references(() => employees.id),
    /** UTC epoch milliseconds. */
    instant: integer('instant').notNull(),
    /** The wall-clock text as the source sent it, e.g. `2026-03-12 08:05:00` or `…GMT +0300`. */
    localTime: text('local_time'),
    /** Offset from UTC in minutes that applied to this punch (for showing device-local time). */
    utcOffset: integer('utc_offset'),
    direction: text('direction', {enum: ['in', 'out']}),
    rawStatus: text('raw_status'),
    rawVerify: text('raw_verify'),
    workCode: text('work_code'),
    source: text('source').notNull(),
    scanId: text('scan_id'),
    temperature: real('temperature'),
    mask: integer('mask', {mode: 'boolean'}),
    confidence: real('confidence'),
    manual: integer('manual', {mode: 'boolean'}).notNull().default(false),
    note: text('note'),
    importId: integer('import_id').references(() => imports.id),
    receivedAt: integer('received_at').notNull(),
    raw: text('raw'),
  },
  (t) => [
    // The one dedup key. The instant leads: punches arrive (and files run) in time order, so each
    // new entry lands at the right edge of the index instead of in one page per device user, which
    // made a bulk import rewrite a page per user in every slice it committed, and SQLite split pages
    // in the middle of the tree (docs/architecture.md, "Import"). Leading with the instant, it also
    // serves every query by time range, so there is no separate instant index to update; lookups by
    // device user id alone (re-resolving after a mapping change) scan it once per change. A scan
    // id (worker attendance API) is not a key: it names a scan only together with this one, and a terminal
    // that reuses it for another person or time has made a new punch.
    uniqueIndex('punches_dedup_unique').on(t.instant, t.deviceUserId, t.deviceKey),
    // Covering for the recompute's read (employee, span → instant, direction, device): every ingest
    // recomputes from it, and without the last two columns each row is a second lookup.
    // Only mapped punches: recompute reads by employee, and an unmapped punch (a bulk import of a
    // terminal nobody has mapped yet) then costs no entry here.
    index('punches_employee_instant_idx').on(t.employeeId, t.instant, t.direction, t.deviceId).where(sql`${t.employeeId} IS NOT NULL`),
    // Punches that named a serial no device is registered under (an imported export from a
    // terminal nobody added): `attend devices list` shows those serials. Serial-less punches keep
    // their source as the key, so this index holds only the exceptions and costs ingest nothing.
    index('punches_unregistered_serial_idx').on(t.deviceKey).where(sql`${t.deviceId} IS NULL AND ${t.deviceKey} <> ${t.source}`),
  ],
)

export const shifts = sqliteTable(
  'shifts',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    name: text('name').notNull(),
    /** `HH:MM`; end ≤ start means the shift crosses midnight and belongs to the date it starts. */
    start: text('start').notNull(),
    end: text('end').notNull(),
    lateGraceMinutes: integer('late_grace_minutes').notNull().default(0),
    earlyGraceMinutes: integer('early_grace_minutes').notNull().default(0),
    halfDayHours: real('half_day_hours').notNull().default(0),
    absentHours: real('absent_hours').notNull().default(0),
    beforeMinutes: integer('before_minutes').notNull().default(60),
    afterMinutes: integer('after_minutes').notNull().default(60),
    /** `HH:MM-HH:MM` or null. */
    checkInWindow: text('check_in_window'),
    checkOutWindow: text('check_out_window'),
    hoursMode: text('hours_mode', {enum: ['first-last', 'pairs']}).notNull().default('first-last'),
    directionMode: text('direction_mode', {enum: ['auto', 'punch']}).notNull().default('auto'),
    debounceSeconds: integer('debounce_seconds').notNull().default(60),
    /** JSON array of weekday names (`["sat","sun"]`); null = the site's week off. */
    weekOff: text('week_off'),
    /**
     * Weekly pattern, JSON object weekday → `"HH:MM-HH:MM"` or `"off"` (`{"fri":"08:00-12:30"}`);
     * null = the same hours every day. A weekday in the pattern wins over week_off.
     */
    weekdays: text('weekdays'),
    /** Whether late arrivals and early departures are marked at all (grace only moves the line). */
    markLate: integer('mark_late', {mode: 'boolean'}).notNull().default(true),
    markEarly: integer('mark_early', {mode: 'boolean'}).notNull().default(true),
    /** after-end: overtime is work after the end; also-before-start: work before the start counts too. */
    overtimeCounts: text('overtime_counts', {enum: ['after-end', 'also-before-start']}).notNull().default('after-end'),
    overtimeMinimumMinutes: integer('overtime_minimum_minutes').notNull().default(0),
    overtimeRoundMinutes: integer('overtime_round_minutes').notNull().default(0),
    /** null = no daily cap. */
    overtimeCapMinutes: integer('overtime_cap_minutes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('shifts_name_unique').on(sql`${t.name} COLLATE NOCASE`)],
)

/**
 * A rotating roster: a cycle of N days, each a shift or a day off, that an assignment runs from
 * its start date (day 1 of the cycle is the assignment's from date).
 */
export const rosters = sqliteTable(
  'rosters',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    name: text('name').notNull(),
    /** JSON array, one entry per day of the cycle: a shift id, or null for a day off. */
    cycle: text('cycle').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('rosters_name_unique').on(sql`${t.name} COLLATE NOCASE`)],
)

/** A shift or a roster for one employee or a department, over an optional date range. */
export const shiftAssignments = sqliteTable(
  'shift_assignments',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    shiftId: integer('shift_id').references(() => shifts.id),
    rosterId: integer('roster_id').references(() => rosters.id),
    employeeId: integer('employee_id').references(() => employees.id),
    department: text('department'),
    fromDate: text('from_date'),
    toDate: text('to_date'),
    createdAt: createdAt(),
  },
  (t) => [
    index('assignments_employee_idx').on(t.employeeId),
    index('assignments_department_idx').on(t.department),
    // Unqualified names: drizzle-kit would qualify them with the `__new_` table of a rebuild.
    check('assignments_one_schedule', sql`("shift_id" IS NULL) <> ("roster_id" IS NULL)`),
  ],
)

export const holidays = sqliteTable(
  'holidays',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    date: text('date').notNull(),
    name: text('name').notNull(),
    /** first | second: only that half of the day is off; null = the whole day. */
    half: text('half', {enum: ['first', 'second']}),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('holidays_date_unique').on(t.date)],
)

export const leaves = sqliteTable(
  'leaves',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    employeeId: integer('employee_id')
      .notNull()
      .references(() => employees.id),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    type: text('type'),
    note: text('note'),
    /** first | second: half a day of leave (one date); null = whole days. */
    half: text('half', {enum: ['first', 'second']}),
    createdAt: createdAt(),
  },
  (t) => [index('leaves_employee_idx').on(t.employeeId, t.fromDate)],
)

/**
 * An admin's decision for one employee and date (`attend attendance set`). Recompute writes it into
 * attendance_days as given, whatever the punches say, until it is unset.
 */
export const manualDays = sqliteTable(
  'manual_days',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    employeeId: integer('employee_id')
      .notNull()
      .references(() => employees.id),
    date: text('date').notNull(),
    status: text('status', {enum: ['present', 'absent', 'half_day', 'holiday', 'weekly_off', 'leave']}).notNull(),
    /** Local `HH:MM`, both or neither; a check-out at or before the check-in is the next day. */
    checkIn: text('check_in'),
    checkOut: text('check_out'),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('manual_days_employee_date_unique').on(t.employeeId, t.date)],
)

export {attendanceStatuses, type AttendanceStatus}

export const halfOffKinds = ['leave_first_half', 'leave_second_half', 'holiday_first_half', 'holiday_second_half'] as const

/** One row per (employee, attendance date), written only by the recompute service. */
export const attendanceDays = sqliteTable(
  'attendance_days',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    employeeId: integer('employee_id')
      .notNull()
      .references(() => employees.id),
    date: text('date').notNull(),
    status: text('status', {enum: attendanceStatuses}).notNull(),
    shiftId: integer('shift_id').references(() => shifts.id),
    /** Instants (UTC ms) of the check-in and check-out punches, null when missing. */
    firstIn: integer('first_in'),
    lastOut: integer('last_out'),
    workedMinutes: integer('worked_minutes').notNull().default(0),
    lateMinutes: integer('late_minutes').notNull().default(0),
    earlyMinutes: integer('early_minutes').notNull().default(0),
    overtimeMinutes: integer('overtime_minutes').notNull().default(0),
    late: integer('late', {mode: 'boolean'}).notNull().default(false),
    earlyDeparture: integer('early_departure', {mode: 'boolean'}).notNull().default(false),
    missedPunch: integer('missed_punch', {mode: 'boolean'}).notNull().default(false),
    punchCount: integer('punch_count').notNull().default(0),
    /** Punches on a holiday or weekly off day, or on a day of leave; their minutes are off_day_minutes, not overtime. */
    workedOnHoliday: integer('worked_on_holiday', {mode: 'boolean'}).notNull().default(false),
    workedOnLeave: integer('worked_on_leave', {mode: 'boolean'}).notNull().default(false),
    offDayMinutes: integer('off_day_minutes').notNull().default(0),
    /** Half of a working day off (half-day leave or holiday), else null. */
    halfOff: text('half_off', {enum: halfOffKinds}),
    /** Copied from manual_days: an admin's decision, not computed from punches. */
    manual: integer('manual', {mode: 'boolean'}).notNull().default(false),
    note: text('note'),
    computedAt: integer('computed_at').notNull(),
  },
  (t) => [uniqueIndex('attendance_employee_date_unique').on(t.employeeId, t.date), index('attendance_date_idx').on(t.date)],
)

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    name: text('name').notNull(),
    /** The first characters of the key, shown in listings and used to find the row to verify. */
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    /** JSON array of scopes: ingest, read, admin. */
    scopes: text('scopes').notNull(),
    /** JSON array of {max, window: 'second'|'minute'|'hour'|'day'}. */
    limits: text('limits').notNull(),
    lastUsedAt: integer('last_used_at'),
    createdAt: createdAt(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_prefix_unique').on(t.prefix), index('api_keys_name_idx').on(t.name)],
)

/** Commands queued for a ZKTeco device, handed out by GET /iclock/getrequest. */
export const deviceCommands = sqliteTable(
  'device_commands',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    deviceId: integer('device_id')
      .notNull()
      .references(() => devices.id),
    command: text('command').notNull(),
    status: text('status', {enum: ['queued', 'sent', 'done', 'failed']}).notNull().default('queued'),
    returnCode: text('return_code'),
    /** What the device sent back with its result (`Content=` of a Shell command, INFO lines), shortened. */
    result: text('result'),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
    doneAt: integer('done_at'),
  },
  (t) => [index('device_commands_device_idx').on(t.deviceId, t.status)],
)

/**
 * A webhook endpoint. The secret (`whsec_…`) signs every request (Standard Webhooks); it must be
 * kept in clear to sign, and is shown once, when generated. During a rotation the previous secret
 * signs too, until `previous_secret_until`. A disabled endpoint (by an admin, or by a 410 Gone
 * answer: `disabled_reason`) is sent nothing and queues no new events.
 */
export const webhooks = sqliteTable('webhooks', {
  id: integer('id').primaryKey({autoIncrement: true}),
  url: text('url').notNull(),
  description: text('description'),
  /** JSON array of event types (user.created, attendance.created, …). */
  events: text('events').notNull(),
  secret: text('secret').notNull(),
  previousSecret: text('previous_secret'),
  previousSecretUntil: integer('previous_secret_until'),
  active: integer('active', {mode: 'boolean'}).notNull().default(true),
  disabledReason: text('disabled_reason'),
  /** Requests in flight to this endpoint at most, across every deliverer. */
  maxInFlight: integer('max_in_flight').notNull().default(4),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

/**
 * The outbox's events: one row per event, written in the transaction of the change that caused it,
 * with the exact body every delivery of it sends (the same id and bytes on every retry).
 */
export const webhookEvents = sqliteTable('webhook_events', {
  // A plain rowid, no index besides it: every punch of a subscribed site writes a row here, and a
  // second index (on the text id, on the time) would cost each of them. Nothing looks events up by
  // `event_id`; pruning finds them through their deliveries.
  id: integer('id').primaryKey(),
  /** `evt_…`: the id receivers see (webhook-id, and `id` in the body). */
  eventId: text('event_id').notNull(),
  type: text('type').notNull(),
  createdAt: createdAt(),
  body: text('body').notNull(),
})

/**
 * The outbox: one row per event per subscribed endpoint. A deliverer claims due rows with a lease
 * (`lease_owner`, `lease_until`) so two deliverers never send the same attempt; the lease lapses
 * if its holder dies, and the row is sent again — at least once.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    event: integer('event')
      .notNull()
      .references(() => webhookEvents.id),
    status: text('status', {enum: ['pending', 'delivered', 'failed']}).notNull().default('pending'),
    /** Attempts made so far (the next is attempts + 1). */
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; for a delivered row, when it was delivered (pruning reads it through the due index). */
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    /** HTTP status of the last attempt; null when it got no answer. */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    lastAttemptAt: integer('last_attempt_at'),
    createdAt: createdAt(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.webhookId, t.status, t.nextAttemptAt),
    // Only the rows held right now: an endpoint's in-flight count is read on every claim.
    index('webhook_deliveries_lease_idx').on(t.webhookId, t.leaseUntil).where(sql`${t.leaseUntil} IS NOT NULL`),
    index('webhook_deliveries_event_idx').on(t.event),
  ],
)

/** Every attempt to deliver, as it went: what was answered and how long it took. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({autoIncrement: true}),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    attemptedAt: integer('attempted_at').notNull(),
    /** HTTP status; null when no answer came (refused, timed out, reset). */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    /** The first few KB of the answer's body. */
    response: text('response'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId)],
)

/**
 * Signed-in status pages (`attend serve`, GET /): the session cookie's id is never stored, only its
 * SHA-256, so a copy of the store signs nobody in. A session lasts while its API key stays valid
 * with the read scope, until `expiresAt` (moved forward as the page is used, up to a fixed cap).
 */
export const dashboardSessions = sqliteTable(
  'dashboard_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    apiKeyId: integer('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('dashboard_sessions_expires_idx').on(t.expiresAt)],
)

/**
 * Rate-limit counters shared by every server on the store (API keys, devices, failed sign-ins per
 * address): one row per subject and fixed window, `key` = `subject@windowMs:windowStart`, counted
 * up atomically by an upsert. Rows of windows that have ended are pruned (`expires_at`).
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('rate_limits_expires_idx').on(t.expiresAt)],
)
