CREATE TABLE `broadcasts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`list_id` integer NOT NULL,
	`local_id` text NOT NULL,
	`created` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`inbox_id` integer NOT NULL,
	`contact_id` integer,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`targets` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`assigned_id` integer,
	`creator_id` integer,
	`read` integer DEFAULT true NOT NULL,
	`replied` integer DEFAULT false NOT NULL,
	`local_id` text,
	`last_inbound` integer,
	`op` text NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `conversations_team_updated` ON `conversations` (`team_id`,`updated`);--> statement-breakpoint
CREATE INDEX `conversations_lookup` ON `conversations` (`team_id`,`inbox_id`,`target`);--> statement-breakpoint
CREATE INDEX `conversations_contact` ON `conversations` (`contact_id`);--> statement-breakpoint
CREATE TABLE `list_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`list_id` integer NOT NULL,
	`contact_id` integer,
	`phone` text,
	`email` text,
	`first` text DEFAULT '' NOT NULL,
	`last` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`list_id`) REFERENCES `lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `list_members_list` ON `list_members` (`list_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `list_members_contact` ON `list_members` (`list_id`,`contact_id`) WHERE contact_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `list_members_phone` ON `list_members` (`list_id`,`phone`) WHERE phone IS NOT NULL;--> statement-breakpoint
CREATE TABLE `lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL,
	`local_id` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`creator_id` integer,
	`shared` integer DEFAULT true NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`rev` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lists_team_updated` ON `lists` (`team_id`,`updated`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`conversation_id` integer NOT NULL,
	`inbox_id` integer NOT NULL,
	`type` text NOT NULL,
	`channel` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`raw_text` text DEFAULT '' NOT NULL,
	`media_url` text DEFAULT '' NOT NULL,
	`gallery_url` text DEFAULT '' NOT NULL,
	`target` text NOT NULL,
	`status` text NOT NULL,
	`user_id` integer,
	`author` text DEFAULT '' NOT NULL,
	`local_id` text,
	`broadcast_id` integer,
	`template_id` integer,
	`survey_id` integer,
	`schedule_id` integer,
	`activity_id` text,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `messages_conversation` ON `messages` (`conversation_id`,`created`);--> statement-breakpoint
CREATE INDEX `messages_team_created` ON `messages` (`team_id`,`created`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	`channel` text NOT NULL,
	`from` text NOT NULL,
	`to` text NOT NULL,
	`cc` text NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`text` text NOT NULL,
	`media_url` text DEFAULT '' NOT NULL,
	`created` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_team` ON `outbox` (`team_id`,`id`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`inbox_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`local_id` text DEFAULT '' NOT NULL,
	`execute_at` integer NOT NULL,
	`request` text NOT NULL,
	`state` text NOT NULL,
	`message_id` integer,
	`error` text,
	`op` text NOT NULL,
	`rev` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `schedules_due` ON `schedules` (`state`,`execute_at`);--> statement-breakpoint
CREATE TABLE `send_keys` (
	`team_id` integer NOT NULL,
	`scope` text NOT NULL,
	`local_id` text NOT NULL,
	`response` text NOT NULL,
	`created` integer NOT NULL,
	PRIMARY KEY(`team_id`, `scope`, `local_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY NOT NULL,
	`team_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`question` text NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `surveys_team` ON `surveys` (`team_id`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL,
	`local_id` text DEFAULT '' NOT NULL,
	`text` text NOT NULL,
	`gallery` text NOT NULL,
	`creator_id` integer,
	`shared` integer DEFAULT true NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`op` text NOT NULL,
	`rev` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `templates_team_updated` ON `templates` (`team_id`,`updated`);