CREATE INDEX `broadcasts_team` ON `broadcasts` (`team_id`);--> statement-breakpoint
CREATE INDEX `conversations_inbox` ON `conversations` (`inbox_id`);--> statement-breakpoint
CREATE INDEX `list_members_contact_id` ON `list_members` (`contact_id`);--> statement-breakpoint
CREATE INDEX `outbox_message` ON `outbox` (`message_id`);