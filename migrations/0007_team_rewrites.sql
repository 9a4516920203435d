CREATE TABLE `team_rewrites` (
	`team` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`started` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `team_spec_parts` (
	`team` integer NOT NULL,
	`seq` integer NOT NULL,
	`part` text NOT NULL,
	PRIMARY KEY(`team`, `seq`),
	FOREIGN KEY (`team`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
