-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_ticket_events" table
CREATE TABLE `new_ticket_events` (`id` text NOT NULL, `action` text NOT NULL, `from_status` text NULL, `to_status` text NOT NULL, `triage_level` text NOT NULL, `at` datetime NOT NULL, `actor_id` text NULL, `queue_id` text NOT NULL, `service_point_id` text NULL, `idempotency_key` text NULL, `ticket_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `ticket_events_tickets_events` FOREIGN KEY (`ticket_id`) REFERENCES `tickets` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "ticket_events" to new temporary table "new_ticket_events"
INSERT INTO `new_ticket_events` (`id`, `action`, `from_status`, `to_status`, `triage_level`, `at`, `actor_id`, `queue_id`, `service_point_id`, `ticket_id`) SELECT `id`, `action`, `from_status`, `to_status`, `triage_level`, `at`, `actor_id`, `queue_id`, `service_point_id`, `ticket_id` FROM `ticket_events`;
-- Drop "ticket_events" table after copying rows
DROP TABLE `ticket_events`;
-- Rename temporary table "new_ticket_events" to "ticket_events"
ALTER TABLE `new_ticket_events` RENAME TO `ticket_events`;
-- Create index "ticketevent_queue_id_at" to table: "ticket_events"
CREATE INDEX `ticketevent_queue_id_at` ON `ticket_events` (`queue_id`, `at`);
-- Create index "ticketevent_idempotency_key" to table: "ticket_events"
CREATE UNIQUE INDEX `ticketevent_idempotency_key` ON `ticket_events` (`idempotency_key`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
