CREATE TABLE `api_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`team_id` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_keys_team` ON `api_keys` (`team_id`);--> statement-breakpoint
CREATE TABLE `api_secrets` (
	`secret_id` text PRIMARY KEY NOT NULL,
	`team_id` integer NOT NULL,
	`secret_key` text NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_secrets_team` ON `api_secrets` (`team_id`);--> statement-breakpoint
CREATE TABLE `contact_channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`channel_type` text NOT NULL,
	`channel_id` text NOT NULL,
	`channel_handle` text DEFAULT '' NOT NULL,
	`info_channel` text DEFAULT '' NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_channels_lookup` ON `contact_channels` (`team_id`,`channel_type`,lower("channel_id"));--> statement-breakpoint
CREATE INDEX `contact_channels_contact` ON `contact_channels` (`contact_id`);--> statement-breakpoint
CREATE TABLE `contact_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`title` text NOT NULL,
	`created` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_fields_team_title` ON `contact_fields` (`team_id`,`title`);--> statement-breakpoint
CREATE TABLE `contact_tags` (
	`contact_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`contact_id`, `tag_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_tags_tag` ON `contact_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`uuid` text NOT NULL,
	`phone` text,
	`email` text DEFAULT '' NOT NULL,
	`first` text DEFAULT '' NOT NULL,
	`last` text DEFAULT '' NOT NULL,
	`display_name` text DEFAULT '' NOT NULL,
	`avatar` text DEFAULT '' NOT NULL,
	`custom` text NOT NULL,
	`creator_id` integer,
	`assigned_user_id` integer,
	`shared` integer DEFAULT true NOT NULL,
	`unsubscribed` integer DEFAULT false NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`email_suppressions` text NOT NULL,
	`external_id` text DEFAULT '' NOT NULL,
	`external_ref` text DEFAULT '' NOT NULL,
	`op` text NOT NULL,
	`rev` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_uuid_unique` ON `contacts` (`uuid`);--> statement-breakpoint
CREATE INDEX `contacts_team_updated` ON `contacts` (`team_id`,`updated`);--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_team_phone` ON `contacts` (`team_id`,`phone`) WHERE phone IS NOT NULL;--> statement-breakpoint
CREATE TABLE `inbox_members` (
	`inbox_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	PRIMARY KEY(`inbox_id`, `member_id`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbox_members_member` ON `inbox_members` (`member_id`);--> statement-breakpoint
CREATE TABLE `inboxes` (
	`id` integer PRIMARY KEY NOT NULL,
	`team_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`phone` text DEFAULT '' NOT NULL,
	`phones` text NOT NULL,
	`email` text,
	`toll_free` integer DEFAULT false NOT NULL,
	`auto_assignable` integer DEFAULT true NOT NULL,
	`forward_number` text,
	`widget_code` text NOT NULL,
	`allowed_domains` text NOT NULL,
	`rev` integer DEFAULT 1 NOT NULL,
	`created` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inboxes_team` ON `inboxes` (`team_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY NOT NULL,
	`team_id` integer NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`email` text NOT NULL,
	`phone` text NOT NULL,
	`role_id` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	`user_created` integer NOT NULL,
	`user_updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `members_team` ON `members` (`team_id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`uuid` text NOT NULL,
	`tag` text NOT NULL,
	`color` text DEFAULT '' NOT NULL,
	`rev` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tags_team_updated` ON `tags` (`team_id`,`updated`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`list_size` integer NOT NULL,
	`created` integer NOT NULL
);
