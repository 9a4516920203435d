-- Hand-edited from drizzle-kit's output: SQLite cannot ADD a NOT NULL column without a default
-- (nor one with a REFERENCES clause that cascades), so inbox_members, contact_tags and list_members
-- are rebuilt, their team_id filled in from the parent row (inbox, contact, list). The migrator runs
-- inside one transaction, where PRAGMA foreign_keys is a no-op: nothing references these three
-- tables, so dropping and renaming them is safe with foreign keys on.
DROP INDEX `schedules_due`;--> statement-breakpoint
CREATE INDEX `schedules_team_due` ON `schedules` (`team_id`,`state`,`execute_at`);--> statement-breakpoint
CREATE TABLE `__new_inbox_members` (
	`team_id` integer NOT NULL,
	`inbox_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	PRIMARY KEY(`inbox_id`, `member_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_inbox_members`("team_id", "inbox_id", "member_id")
	SELECT i.`team_id`, im.`inbox_id`, im.`member_id` FROM `inbox_members` im JOIN `inboxes` i ON i.`id` = im.`inbox_id`;--> statement-breakpoint
DROP TABLE `inbox_members`;--> statement-breakpoint
ALTER TABLE `__new_inbox_members` RENAME TO `inbox_members`;--> statement-breakpoint
CREATE INDEX `inbox_members_member` ON `inbox_members` (`member_id`);--> statement-breakpoint
CREATE INDEX `inbox_members_team` ON `inbox_members` (`team_id`,`inbox_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `__new_contact_tags` (
	`team_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`contact_id`, `tag_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_contact_tags`("team_id", "contact_id", "tag_id", "position")
	SELECT c.`team_id`, ct.`contact_id`, ct.`tag_id`, ct.`position` FROM `contact_tags` ct JOIN `contacts` c ON c.`id` = ct.`contact_id`;--> statement-breakpoint
DROP TABLE `contact_tags`;--> statement-breakpoint
ALTER TABLE `__new_contact_tags` RENAME TO `contact_tags`;--> statement-breakpoint
CREATE INDEX `contact_tags_tag` ON `contact_tags` (`tag_id`);--> statement-breakpoint
CREATE INDEX `contact_tags_team` ON `contact_tags` (`team_id`);--> statement-breakpoint
CREATE TABLE `__new_list_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`list_id` integer NOT NULL,
	`contact_id` integer,
	`phone` text,
	`email` text,
	`first` text DEFAULT '' NOT NULL,
	`last` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`list_id`) REFERENCES `lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- AUTOINCREMENT: entry ids keep counting from where the old table stopped (never reused).
INSERT INTO `sqlite_sequence`("name", "seq") SELECT '__new_list_members', `seq` FROM `sqlite_sequence` WHERE `name` = 'list_members';--> statement-breakpoint
INSERT INTO `__new_list_members`("id", "team_id", "list_id", "contact_id", "phone", "email", "first", "last")
	SELECT lm.`id`, l.`team_id`, lm.`list_id`, lm.`contact_id`, lm.`phone`, lm.`email`, lm.`first`, lm.`last` FROM `list_members` lm JOIN `lists` l ON l.`id` = lm.`list_id`;--> statement-breakpoint
DROP TABLE `list_members`;--> statement-breakpoint
ALTER TABLE `__new_list_members` RENAME TO `list_members`;--> statement-breakpoint
CREATE INDEX `list_members_list` ON `list_members` (`list_id`);--> statement-breakpoint
CREATE INDEX `list_members_team` ON `list_members` (`team_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `list_members_contact` ON `list_members` (`list_id`,`contact_id`) WHERE contact_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `list_members_phone` ON `list_members` (`list_id`,`phone`) WHERE phone IS NOT NULL;--> statement-breakpoint
-- Lists created twice with one local_id before this index existed (the create raced): the oldest
-- keeps the local_id, the others lose it (they stay, as lists without one), so the index can exist.
UPDATE `lists` SET `local_id` = '' WHERE `local_id` <> '' AND `id` NOT IN (SELECT min(`id`) FROM `lists` WHERE `local_id` <> '' GROUP BY `team_id`, `local_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `lists_team_local_id` ON `lists` (`team_id`,`local_id`) WHERE local_id <> '';
