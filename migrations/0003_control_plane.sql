CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`webhook_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`type` text NOT NULL,
	`url` text NOT NULL,
	`status` text NOT NULL,
	`attempts` text NOT NULL,
	`next_attempt_at` integer,
	`created` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deliveries_team` ON `deliveries` (`team_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`team_id`,`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_team` ON `events` (`team_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_team_type` ON `events` (`team_id`,`type`,`id`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`url` text NOT NULL,
	`events` text,
	`token` text NOT NULL,
	`created` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhooks_team` ON `webhooks` (`team_id`,`id`);--> statement-breakpoint
ALTER TABLE `messages` ADD `error_code` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `error_message` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `deliver_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `deliver_next` text;--> statement-breakpoint
CREATE INDEX `messages_team_deliver` ON `messages` (`team_id`,`deliver_at`) WHERE deliver_at IS NOT NULL;--> statement-breakpoint
ALTER TABLE `teams` ADD `spec` text;