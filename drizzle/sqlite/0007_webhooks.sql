CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`attempted_at` integer NOT NULL,
	`status_code` integer,
	`duration_ms` integer NOT NULL,
	`error` text,
	`response` text,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery_idx` ON `webhook_attempts` (`delivery_id`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`created_at` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
-- Hand-edited: drizzle-kit rebuilt these two tables by copying columns the old ones never had. No
-- attend version ever wrote to them (the webhooks commands arrive with this migration), so they are
-- dropped and created anew.
DROP TABLE `webhook_deliveries`;--> statement-breakpoint
DROP TABLE `webhooks`;--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`events` text NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_until` integer,
	`active` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`max_in_flight` integer DEFAULT 4 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_id` integer NOT NULL,
	`event` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_status` integer,
	`last_error` text,
	`last_attempt_at` integer,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event`) REFERENCES `webhook_events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`webhook_id`,`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_lease_idx` ON `webhook_deliveries` (`webhook_id`,`lease_until`) WHERE "webhook_deliveries"."lease_until" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_event_idx` ON `webhook_deliveries` (`event`);--> statement-breakpoint
ALTER TABLE `devices` ADD `presence` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `presence_changed_at` integer;--> statement-breakpoint
-- Hand-written below: drizzle-kit has no triggers. The `webhooks` revision (see storeRevisions in
-- src/db/schema.ts) changes with every write to the endpoints, so the outbox's cached list of who
-- subscribes to what is read again only then.
INSERT INTO `store_revisions` (`scope`, `revision`) VALUES ('webhooks', random());--> statement-breakpoint
CREATE TRIGGER `webhooks_revision_insert` AFTER INSERT ON `webhooks` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'webhooks'; END;--> statement-breakpoint
CREATE TRIGGER `webhooks_revision_update` AFTER UPDATE ON `webhooks` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'webhooks'; END;--> statement-breakpoint
CREATE TRIGGER `webhooks_revision_delete` AFTER DELETE ON `webhooks` BEGIN UPDATE `store_revisions` SET `revision` = random() WHERE `scope` = 'webhooks'; END;
