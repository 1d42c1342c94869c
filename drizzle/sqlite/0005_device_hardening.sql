DROP INDEX `punches_scan_id_unique`;--> statement-breakpoint
ALTER TABLE `device_commands` ADD `result` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `cams_stgid` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `allow_from` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `attlog_stamp` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `operlog_stamp` text;--> statement-breakpoint
CREATE UNIQUE INDEX `devices_cams_stgid_unique` ON `devices` (`cams_stgid`) WHERE "devices"."cams_stgid" IS NOT NULL;--> statement-breakpoint
-- Hand-written below: drizzle-kit has no triggers. The `people` revision (see storeRevisions in
-- src/db/schema.ts) changes with every write that can change whom a device user id resolves to.
INSERT INTO `store_revisions` (`scope`, `revision`) VALUES ('people', random());--> statement-breakpoint
CREATE TRIGGER `employees_people_revision_insert` AFTER INSERT ON `employees` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'people'; END;--> statement-breakpoint
CREATE TRIGGER `employees_people_revision_update` AFTER UPDATE OF `code`, `name` ON `employees` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'people'; END;--> statement-breakpoint
CREATE TRIGGER `employees_people_revision_delete` AFTER DELETE ON `employees` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'people'; END;--> statement-breakpoint
CREATE TRIGGER `mappings_people_revision_insert` AFTER INSERT ON `device_user_mappings` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'people'; END;--> statement-breakpoint
CREATE TRIGGER `mappings_people_revision_update` AFTER UPDATE ON `device_user_mappings` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'people'; END;--> statement-breakpoint
CREATE TRIGGER `mappings_people_revision_delete` AFTER DELETE ON `device_user_mappings` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'people'; END;
