-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_daily_reports" table
CREATE TABLE `new_daily_reports` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `day` text NOT NULL, `department_id` text NOT NULL, `queue_id` text NOT NULL DEFAULT (''), `arrivals` integer NOT NULL DEFAULT (0), `served` integer NOT NULL DEFAULT (0), `no_shows` integer NOT NULL DEFAULT (0), `cancellations` integer NOT NULL DEFAULT (0), `median_wait_seconds` integer NULL, `p90_wait_seconds` integer NULL, `median_service_seconds` integer NULL, `within_target` json NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "daily_reports" to new temporary table "new_daily_reports"
INSERT INTO `new_daily_reports` (`id`, `created_at`, `updated_at`, `day`, `department_id`, `queue_id`, `arrivals`, `served`, `no_shows`, `cancellations`, `median_wait_seconds`, `p90_wait_seconds`, `median_service_seconds`, `within_target`) SELECT `id`, `created_at`, `updated_at`, `day`, `department_id`, IFNULL(`queue_id`, ('')) AS `queue_id`, `arrivals`, `served`, `no_shows`, `cancellations`, `median_wait_seconds`, `p90_wait_seconds`, `median_service_seconds`, `within_target` FROM `daily_reports`;
-- Drop "daily_reports" table after copying rows
DROP TABLE `daily_reports`;
-- Rename temporary table "new_daily_reports" to "daily_reports"
ALTER TABLE `new_daily_reports` RENAME TO `daily_reports`;
-- Create index "dailyreport_department_id_queue_id_day" to table: "daily_reports"
CREATE UNIQUE INDEX `dailyreport_department_id_queue_id_day` ON `daily_reports` (`department_id`, `queue_id`, `day`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
