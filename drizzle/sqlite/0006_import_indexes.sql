DROP INDEX `punches_device_user_idx`;--> statement-breakpoint
DROP INDEX `punches_dedup_unique`;--> statement-breakpoint
DROP INDEX `punches_employee_instant_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `punches_dedup_unique` ON `punches` (`device_user_id`,`device_key`,`instant`);--> statement-breakpoint
CREATE INDEX `punches_employee_instant_idx` ON `punches` (`employee_id`,`instant`,`direction`,`device_id`) WHERE "punches"."employee_id" IS NOT NULL;