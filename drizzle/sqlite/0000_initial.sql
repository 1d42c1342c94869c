CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`limits` text NOT NULL,
	`last_used_at` integer,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_prefix_unique` ON `api_keys` (`prefix`);--> statement-breakpoint
CREATE INDEX `api_keys_name_idx` ON `api_keys` (`name`);--> statement-breakpoint
CREATE TABLE `attendance_days` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employee_id` integer NOT NULL,
	`date` text NOT NULL,
	`status` text NOT NULL,
	`shift_id` integer,
	`first_in` integer,
	`last_out` integer,
	`worked_minutes` integer DEFAULT 0 NOT NULL,
	`late_minutes` integer DEFAULT 0 NOT NULL,
	`early_minutes` integer DEFAULT 0 NOT NULL,
	`overtime_minutes` integer DEFAULT 0 NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`early_departure` integer DEFAULT false NOT NULL,
	`missed_punch` integer DEFAULT false NOT NULL,
	`punch_count` integer DEFAULT 0 NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shift_id`) REFERENCES `shifts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_employee_date_unique` ON `attendance_days` (`employee_id`,`date`);--> statement-breakpoint
CREATE INDEX `attendance_date_idx` ON `attendance_days` (`date`);--> statement-breakpoint
CREATE TABLE `device_commands` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` integer NOT NULL,
	`command` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`return_code` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`done_at` integer,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `device_commands_device_idx` ON `device_commands` (`device_id`,`status`);--> statement-breakpoint
CREATE TABLE `device_user_mappings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` integer,
	`device_user_id` text NOT NULL,
	`employee_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mappings_device_user_unique` ON `device_user_mappings` (`device_id`,`device_user_id`) WHERE "device_user_mappings"."device_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `mappings_global_user_unique` ON `device_user_mappings` (`device_user_id`) WHERE "device_user_mappings"."device_id" IS NULL;--> statement-breakpoint
CREATE INDEX `mappings_employee_idx` ON `device_user_mappings` (`employee_id`);--> statement-breakpoint
CREATE TABLE `device_users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` integer NOT NULL,
	`device_user_id` text NOT NULL,
	`name` text,
	`privilege` text,
	`card` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_users_device_user_unique` ON `device_users` (`device_id`,`device_user_id`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`serial` text NOT NULL,
	`name` text NOT NULL,
	`location` text,
	`type` text,
	`direction` text DEFAULT 'auto' NOT NULL,
	`mode` text DEFAULT 'push' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`token_hash` text,
	`token_prefix` text,
	`timezone` text,
	`ip` text,
	`port` integer,
	`state_map` text,
	`options` text,
	`last_seen_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_serial_unique` ON `devices` (`serial`);--> statement-breakpoint
CREATE TABLE `employees` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`phone` text,
	`department` text,
	`active` integer DEFAULT true NOT NULL,
	`joined_on` text,
	`left_on` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `employees_code_unique` ON `employees` ("code" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `employees_department_idx` ON `employees` (`department`);--> statement-breakpoint
CREATE TABLE `holidays` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`date` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `holidays_date_unique` ON `holidays` (`date`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file` text NOT NULL,
	`format` text NOT NULL,
	`device_id` integer,
	`dry_run` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`read` integer DEFAULT 0 NOT NULL,
	`stored` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`unmapped` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`message` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `leaves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employee_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`type` text,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `leaves_employee_idx` ON `leaves` (`employee_id`,`from_date`);--> statement-breakpoint
CREATE TABLE `punches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_key` text NOT NULL,
	`device_id` integer,
	`device_user_id` text NOT NULL,
	`employee_id` integer,
	`instant` integer NOT NULL,
	`local_time` text,
	`utc_offset` integer,
	`direction` text,
	`raw_status` text,
	`raw_verify` text,
	`work_code` text,
	`source` text NOT NULL,
	`scan_id` text,
	`temperature` real,
	`mask` integer,
	`confidence` real,
	`manual` integer DEFAULT false NOT NULL,
	`note` text,
	`import_id` integer,
	`received_at` integer NOT NULL,
	`raw` text,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `punches_dedup_unique` ON `punches` (`device_key`,`device_user_id`,`instant`);--> statement-breakpoint
CREATE UNIQUE INDEX `punches_scan_unique` ON `punches` (`device_key`,`scan_id`) WHERE "punches"."scan_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `punches_employee_instant_idx` ON `punches` (`employee_id`,`instant`);--> statement-breakpoint
CREATE INDEX `punches_instant_idx` ON `punches` (`instant`);--> statement-breakpoint
CREATE INDEX `punches_device_user_idx` ON `punches` (`device_user_id`);--> statement-breakpoint
CREATE TABLE `refused_devices` (
	`serial` text PRIMARY KEY NOT NULL,
	`remote_address` text,
	`route` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shift_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shift_id` integer NOT NULL,
	`employee_id` integer,
	`department` text,
	`from_date` text,
	`to_date` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shift_id`) REFERENCES `shifts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_employee_idx` ON `shift_assignments` (`employee_id`);--> statement-breakpoint
CREATE INDEX `assignments_department_idx` ON `shift_assignments` (`department`);--> statement-breakpoint
CREATE TABLE `shifts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`late_grace_minutes` integer DEFAULT 0 NOT NULL,
	`early_grace_minutes` integer DEFAULT 0 NOT NULL,
	`half_day_hours` real DEFAULT 0 NOT NULL,
	`absent_hours` real DEFAULT 0 NOT NULL,
	`before_minutes` integer DEFAULT 60 NOT NULL,
	`after_minutes` integer DEFAULT 60 NOT NULL,
	`check_in_window` text,
	`check_out_window` text,
	`hours_mode` text DEFAULT 'first-last' NOT NULL,
	`direction_mode` text DEFAULT 'auto' NOT NULL,
	`debounce_seconds` integer DEFAULT 60 NOT NULL,
	`week_off` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shifts_name_unique` ON `shifts` ("name" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_pending_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`secret` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
