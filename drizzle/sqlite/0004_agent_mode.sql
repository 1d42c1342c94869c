CREATE TABLE `device_pulls` (
	`device_id` integer PRIMARY KEY NOT NULL,
	`last_pull_at` integer,
	`last_error` text,
	`last_success_at` integer,
	`records_read` integer,
	`records_new` integer,
	`duplicates` integer,
	`rejected` integer,
	`users` integer,
	`duration_ms` integer,
	`lease_owner` text,
	`lease_until` integer,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `devices` ADD `protocol` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `comm_key` integer;