DROP INDEX `punches_scan_id_unique`;--> statement-breakpoint
ALTER TABLE `device_commands` ADD `result` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `cams_stgid` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `allow_from` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `attlog_stamp` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `operlog_stamp` text;--> statement-breakpoint
CREATE UNIQUE INDEX `devices_cams_stgid_unique` ON `devices` (`cams_stgid`) WHERE "devices"."cams_stgid" IS NOT NULL;