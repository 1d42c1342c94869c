DROP INDEX `punches_instant_idx`;--> statement-breakpoint
DROP INDEX `punches_dedup_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `punches_dedup_unique` ON `punches` (`instant`,`device_user_id`,`device_key`);