-- Stores from 0000 may hold one scan id on two devices; keep every punch, and the scan id on the first.
UPDATE `punches` SET `scan_id` = NULL WHERE `scan_id` IS NOT NULL AND `id` NOT IN (SELECT MIN(`id`) FROM `punches` WHERE `scan_id` IS NOT NULL GROUP BY `scan_id`);--> statement-breakpoint
DROP INDEX `punches_scan_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `punches_scan_id_unique` ON `punches` (`scan_id`) WHERE "punches"."scan_id" IS NOT NULL;