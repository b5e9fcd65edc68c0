-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Add column "escalated_at" to table: "tickets"
ALTER TABLE `tickets` ADD COLUMN `escalated_at` datetime NULL;
-- Create "new_queues" table
CREATE TABLE `new_queues` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `prefix` text NOT NULL, `ordering` text NOT NULL DEFAULT ('TRIAGE'), `escalation_percent` integer NOT NULL DEFAULT (150), `max_wait_minutes` integer NOT NULL DEFAULT (360), `urgent_share_limit_percent` integer NOT NULL DEFAULT (50), `active` bool NOT NULL DEFAULT (true), `self_check_in` bool NOT NULL DEFAULT (false), `version` integer NOT NULL DEFAULT (0), `notify_ahead` integer NOT NULL DEFAULT (3), `default_service_minutes` integer NOT NULL DEFAULT (10), `target_immediate_minutes` integer NOT NULL DEFAULT (0), `target_very_urgent_minutes` integer NOT NULL DEFAULT (10), `target_urgent_minutes` integer NOT NULL DEFAULT (60), `target_standard_minutes` integer NOT NULL DEFAULT (120), `target_non_urgent_minutes` integer NOT NULL DEFAULT (240), `department_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `queues_departments_queues` FOREIGN KEY (`department_id`) REFERENCES `departments` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "queues" to new temporary table "new_queues"
INSERT INTO `new_queues` (`id`, `created_at`, `updated_at`, `name`, `prefix`, `ordering`, `escalation_percent`, `active`, `self_check_in`, `version`, `notify_ahead`, `default_service_minutes`, `target_immediate_minutes`, `target_very_urgent_minutes`, `target_urgent_minutes`, `target_standard_minutes`, `target_non_urgent_minutes`, `department_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `prefix`, `ordering`, `escalation_percent`, `active`, `self_check_in`, `version`, `notify_ahead`, `default_service_minutes`, `target_immediate_minutes`, `target_very_urgent_minutes`, `target_urgent_minutes`, `target_standard_minutes`, `target_non_urgent_minutes`, `department_id` FROM `queues`;
-- Drop "queues" table after copying rows
DROP TABLE `queues`;
-- Rename temporary table "new_queues" to "queues"
ALTER TABLE `new_queues` RENAME TO `queues`;
-- Create index "queue_department_id_name" to table: "queues"
CREATE UNIQUE INDEX `queue_department_id_name` ON `queues` (`department_id`, `name`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
