-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_tickets" table
CREATE TABLE `new_tickets` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `service_day` text NOT NULL, `seq` integer NOT NULL, `status` text NOT NULL DEFAULT ('WAITING'), `triage_level` text NOT NULL DEFAULT ('STANDARD'), `awaiting_triage` bool NOT NULL DEFAULT (false), `source` text NOT NULL DEFAULT ('WALK_IN'), `note` text NULL, `checked_in_at` datetime NOT NULL, `arrived_at` datetime NOT NULL, `target_at` datetime NOT NULL, `called_at` datetime NULL, `started_at` datetime NULL, `ended_at` datetime NULL, `escalated_at` datetime NULL, `recall_count` integer NOT NULL DEFAULT (0), `cancel_reason` text NULL, `status_token` text NOT NULL, `idempotency_key` text NULL, `notified_ahead` bool NOT NULL DEFAULT (false), `appointment_id` text NULL, `patient_id` text NOT NULL, `queue_id` text NOT NULL, `service_point_id` text NULL, `called_by_id` text NULL, `previous_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `tickets_appointments_tickets` FOREIGN KEY (`appointment_id`) REFERENCES `appointments` (`id`) ON DELETE SET NULL, CONSTRAINT `tickets_patients_tickets` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE NO ACTION, CONSTRAINT `tickets_queues_tickets` FOREIGN KEY (`queue_id`) REFERENCES `queues` (`id`) ON DELETE NO ACTION, CONSTRAINT `tickets_service_points_tickets` FOREIGN KEY (`service_point_id`) REFERENCES `service_points` (`id`) ON DELETE SET NULL, CONSTRAINT `tickets_users_called_by` FOREIGN KEY (`called_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `tickets_tickets_next` FOREIGN KEY (`previous_id`) REFERENCES `tickets` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "tickets" to new temporary table "new_tickets"
-- Hand-written: arrived_at is when the visit started. A ticket checked in started its visit at its
-- check-in; a transferred ticket (previous_id) continues the visit of the ticket it came from, as the
-- new transfer_keeps_arrival (true for every existing queue) says, so a chain takes its first ticket's
-- check-in. Deadlines already set (target_at) are not moved: they were promised under the old rule,
-- and analytics already counted them. Rows the chain does not reach keep their own check-in.
WITH RECURSIVE visit (id, arrived_at) AS (SELECT `id`, `checked_in_at` FROM `tickets` WHERE `previous_id` IS NULL UNION ALL SELECT t.`id`, v.arrived_at FROM `tickets` t JOIN visit v ON t.`previous_id` = v.id)
INSERT INTO `new_tickets` (`id`, `created_at`, `updated_at`, `code`, `service_day`, `seq`, `status`, `triage_level`, `source`, `note`, `checked_in_at`, `arrived_at`, `target_at`, `called_at`, `started_at`, `ended_at`, `escalated_at`, `recall_count`, `cancel_reason`, `status_token`, `idempotency_key`, `notified_ahead`, `appointment_id`, `patient_id`, `queue_id`, `service_point_id`, `called_by_id`, `previous_id`) SELECT `id`, `created_at`, `updated_at`, `code`, `service_day`, `seq`, `status`, `triage_level`, `source`, `note`, `checked_in_at`, coalesce((SELECT visit.arrived_at FROM visit WHERE visit.id = `tickets`.`id`), `checked_in_at`), `target_at`, `called_at`, `started_at`, `ended_at`, `escalated_at`, `recall_count`, `cancel_reason`, `status_token`, `idempotency_key`, `notified_ahead`, `appointment_id`, `patient_id`, `queue_id`, `service_point_id`, `called_by_id`, `previous_id` FROM `tickets`;
-- Drop "tickets" table after copying rows
DROP TABLE `tickets`;
-- Rename temporary table "new_tickets" to "tickets"
ALTER TABLE `new_tickets` RENAME TO `tickets`;
-- Create index "tickets_previous_id_key" to table: "tickets"
CREATE UNIQUE INDEX `tickets_previous_id_key` ON `tickets` (`previous_id`);
-- Create index "ticket_queue_id_status_target_at" to table: "tickets"
CREATE INDEX `ticket_queue_id_status_target_at` ON `tickets` (`queue_id`, `status`, `target_at`);
-- Create index "ticket_queue_id_service_day_seq" to table: "tickets"
CREATE UNIQUE INDEX `ticket_queue_id_service_day_seq` ON `tickets` (`queue_id`, `service_day`, `seq`);
-- Create index "ticket_idempotency_key" to table: "tickets"
CREATE UNIQUE INDEX `ticket_idempotency_key` ON `tickets` (`idempotency_key`);
-- Create index "ticket_status_token" to table: "tickets"
CREATE UNIQUE INDEX `ticket_status_token` ON `tickets` (`status_token`);
-- Create index "ticket_patient_id_checked_in_at" to table: "tickets"
CREATE INDEX `ticket_patient_id_checked_in_at` ON `tickets` (`patient_id`, `checked_in_at`);
-- Create index "ticket_queue_id_ended_at" to table: "tickets"
CREATE INDEX `ticket_queue_id_ended_at` ON `tickets` (`queue_id`, `ended_at`);
-- Add column "from_triage_level" to table: "ticket_events"
ALTER TABLE `ticket_events` ADD COLUMN `from_triage_level` text NULL;
-- Add column "reason" to table: "ticket_events"
ALTER TABLE `ticket_events` ADD COLUMN `reason` text NULL;
-- Create "new_queues" table
CREATE TABLE `new_queues` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `prefix` text NOT NULL, `ordering` text NOT NULL DEFAULT ('TRIAGE'), `escalation_percent` integer NOT NULL DEFAULT (150), `max_wait_minutes` integer NOT NULL DEFAULT (360), `urgent_share_limit_percent` integer NOT NULL DEFAULT (50), `active` bool NOT NULL DEFAULT (true), `self_check_in` bool NOT NULL DEFAULT (false), `self_check_in_level` text NOT NULL DEFAULT ('STANDARD'), `transfer_keeps_arrival` bool NOT NULL DEFAULT (true), `version` integer NOT NULL DEFAULT (0), `notify_ahead` integer NOT NULL DEFAULT (3), `default_service_minutes` integer NOT NULL DEFAULT (10), `target_immediate_minutes` integer NOT NULL DEFAULT (0), `target_very_urgent_minutes` integer NOT NULL DEFAULT (10), `target_urgent_minutes` integer NOT NULL DEFAULT (60), `target_standard_minutes` integer NOT NULL DEFAULT (120), `target_non_urgent_minutes` integer NOT NULL DEFAULT (240), `department_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `queues_departments_queues` FOREIGN KEY (`department_id`) REFERENCES `departments` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "queues" to new temporary table "new_queues"
INSERT INTO `new_queues` (`id`, `created_at`, `updated_at`, `name`, `prefix`, `ordering`, `escalation_percent`, `max_wait_minutes`, `urgent_share_limit_percent`, `active`, `self_check_in`, `version`, `notify_ahead`, `default_service_minutes`, `target_immediate_minutes`, `target_very_urgent_minutes`, `target_urgent_minutes`, `target_standard_minutes`, `target_non_urgent_minutes`, `department_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `prefix`, `ordering`, `escalation_percent`, `max_wait_minutes`, `urgent_share_limit_percent`, `active`, `self_check_in`, `version`, `notify_ahead`, `default_service_minutes`, `target_immediate_minutes`, `target_very_urgent_minutes`, `target_urgent_minutes`, `target_standard_minutes`, `target_non_urgent_minutes`, `department_id` FROM `queues`;
-- Drop "queues" table after copying rows
DROP TABLE `queues`;
-- Rename temporary table "new_queues" to "queues"
ALTER TABLE `new_queues` RENAME TO `queues`;
-- Create index "queue_department_id_name" to table: "queues"
CREATE UNIQUE INDEX `queue_department_id_name` ON `queues` (`department_id`, `name`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
