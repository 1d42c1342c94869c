CREATE TABLE `store_revisions` (
	`scope` text PRIMARY KEY NOT NULL,
	`revision` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `punches_employee_instant_idx`;--> statement-breakpoint
CREATE INDEX `punches_employee_instant_idx` ON `punches` (`employee_id`,`instant`,`direction`,`device_id`);--> statement-breakpoint
-- Hand-written below: drizzle-kit has no triggers. See storeRevisions in src/db/schema.ts.
INSERT INTO `store_revisions` (`scope`, `revision`) VALUES ('site', random()), ('api_keys', random());--> statement-breakpoint
CREATE TRIGGER `settings_site_revision_insert` AFTER INSERT ON `settings` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `settings_site_revision_update` AFTER UPDATE ON `settings` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `settings_site_revision_delete` AFTER DELETE ON `settings` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shifts_site_revision_insert` AFTER INSERT ON `shifts` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shifts_site_revision_update` AFTER UPDATE ON `shifts` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shifts_site_revision_delete` AFTER DELETE ON `shifts` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shift_assignments_site_revision_insert` AFTER INSERT ON `shift_assignments` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shift_assignments_site_revision_update` AFTER UPDATE ON `shift_assignments` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `shift_assignments_site_revision_delete` AFTER DELETE ON `shift_assignments` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `holidays_site_revision_insert` AFTER INSERT ON `holidays` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `holidays_site_revision_update` AFTER UPDATE ON `holidays` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `holidays_site_revision_delete` AFTER DELETE ON `holidays` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `devices_site_revision_insert` AFTER INSERT ON `devices` WHEN NEW.`direction` <> 'auto' BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `devices_site_revision_update` AFTER UPDATE OF `direction` ON `devices` WHEN OLD.`direction` IS NOT NEW.`direction` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `devices_site_revision_delete` AFTER DELETE ON `devices` WHEN OLD.`direction` <> 'auto' BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'site'; END;--> statement-breakpoint
CREATE TRIGGER `api_keys_revision_insert` AFTER INSERT ON `api_keys` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'api_keys'; END;--> statement-breakpoint
CREATE TRIGGER `api_keys_revision_update` AFTER UPDATE OF `name`, `prefix`, `hash`, `scopes`, `limits`, `revoked_at` ON `api_keys` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'api_keys'; END;--> statement-breakpoint
CREATE TRIGGER `api_keys_revision_delete` AFTER DELETE ON `api_keys` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'api_keys'; END;
