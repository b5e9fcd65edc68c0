-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_facilities" table
CREATE TABLE `new_facilities` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `timezone` text NOT NULL DEFAULT ('UTC'), `active` bool NOT NULL DEFAULT (true), `language` text NOT NULL DEFAULT ('en'), `locale` text NOT NULL DEFAULT ('en-GB'), `phone_region` text NOT NULL DEFAULT ('GB'), PRIMARY KEY (`id`));
-- Copy rows from old table "facilities" to new temporary table "new_facilities"
INSERT INTO `new_facilities` (`id`, `created_at`, `updated_at`, `name`, `timezone`, `active`, `language`, `locale`) SELECT `id`, `created_at`, `updated_at`, `name`, `timezone`, `active`, `language`, `locale` FROM `facilities`;
-- Drop "facilities" table after copying rows
DROP TABLE `facilities`;
-- Rename temporary table "new_facilities" to "facilities"
ALTER TABLE `new_facilities` RENAME TO `facilities`;
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
