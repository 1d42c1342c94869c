CREATE TABLE `manual_days` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employee_id` integer NOT NULL,
	`date` text NOT NULL,
	`status` text NOT NULL,
	`check_in` text,
	`check_out` text,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `manual_days_employee_date_unique` ON `manual_days` (`employee_id`,`date`);--> statement-breakpoint
CREATE TABLE `rosters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`cycle` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rosters_name_unique` ON `rosters` ("name" COLLATE NOCASE);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_shift_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shift_id` integer,
	`roster_id` integer,
	`employee_id` integer,
	`department` text,
	`from_date` text,
	`to_date` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shift_id`) REFERENCES `shifts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`roster_id`) REFERENCES `rosters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "assignments_one_schedule" CHECK(("shift_id" IS NULL) <> ("roster_id" IS NULL))
);
--> statement-breakpoint
-- Reviewed by hand: drizzle-kit selected the new roster_id from the old table, which has no such column.
INSERT INTO `__new_shift_assignments`("id", "shift_id", "roster_id", "employee_id", "department", "from_date", "to_date", "created_at") SELECT "id", "shift_id", NULL, "employee_id", "department", "from_date", "to_date", "created_at" FROM `shift_assignments`;--> statement-breakpoint
DROP TABLE `shift_assignments`;--> statement-breakpoint
ALTER TABLE `__new_shift_assignments` RENAME TO `shift_assignments`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `assignments_employee_idx` ON `shift_assignments` (`employee_id`);--> statement-breakpoint
CREATE INDEX `assignments_department_idx` ON `shift_assignments` (`department`);--> statement-breakpoint
ALTER TABLE `attendance_days` ADD `worked_on_holiday` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `attendance_days` ADD `worked_on_leave` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `attendance_days` ADD `off_day_minutes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `attendance_days` ADD `half_off` text;--> statement-breakpoint
ALTER TABLE `attendance_days` ADD `manual` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `attendance_days` ADD `note` text;--> statement-breakpoint
ALTER TABLE `holidays` ADD `half` text;--> statement-breakpoint
ALTER TABLE `leaves` ADD `half` text;--> statement-breakpoint
ALTER TABLE `shifts` ADD `weekdays` text;--> statement-breakpoint
ALTER TABLE `shifts` ADD `mark_late` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `shifts` ADD `mark_early` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `shifts` ADD `overtime_counts` text DEFAULT 'after-end' NOT NULL;--> statement-breakpoint
ALTER TABLE `shifts` ADD `overtime_minimum_minutes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `shifts` ADD `overtime_round_minutes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `shifts` ADD `overtime_cap_minutes` integer;--> statement-breakpoint
-- Hand-written below: drizzle-kit has no triggers. The rebuild of shift_assignments above dropped
-- its site-revision triggers (migration 0002); they are created again, and rosters join the site
-- scope, since the engine's cached site context holds both (see storeRevisions in src/db/schema.ts).
CREATE TRIGGER `shift_assignments_site_revision_insert` AFTER INSERT ON `shift_assignments` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shift_assignments_site_revision_update` AFTER UPDATE ON `shift_assignments` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shift_assignments_site_revision_delete` AFTER DELETE ON `shift_assignments` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `rosters_site_revision_insert` AFTER INSERT ON `rosters` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `rosters_site_revision_update` AFTER UPDATE ON `rosters` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `rosters_site_revision_delete` AFTER DELETE ON `rosters` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;
